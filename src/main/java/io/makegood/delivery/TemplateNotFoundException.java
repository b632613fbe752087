package io.makegood.delivery;

/** A template set, or one of its three files, exists in none of the places makegood looks. */
public class TemplateNotFoundException extends RuntimeException {

	private final String template;

	public TemplateNotFoundException(String template, String message) {
		super(message);
		this.template = template;
	}

	public String template() {
		return this.template;
	}

}
