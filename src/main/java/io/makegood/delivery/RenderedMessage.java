package io.makegood.delivery;

/**
 * One message as the recipient will read it, before MIME encoding.
 *
 * @param subject a single line: control characters are already collapsed to spaces
 */
public record RenderedMessage(String subject, String text, String html) {
}
