package io.makegood.audience;

/** The audience cannot be read at all (missing file, unusable header, failing query), as opposed to a bad row. */
public class AudienceSourceException extends RuntimeException {

	public AudienceSourceException(String message) {
		super(message);
	}

	public AudienceSourceException(String message, Throwable cause) {
		super(message, cause);
	}

}
