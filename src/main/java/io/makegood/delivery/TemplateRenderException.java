package io.makegood.delivery;

/**
 * A template could not be filled from its model, typically because it names a variable the model does not have.
 * Validation renders every template against a sample model so this surfaces before anything is sent.
 */
public class TemplateRenderException extends RuntimeException {

	public TemplateRenderException(String message, Throwable cause) {
		super(message, cause);
	}

}
