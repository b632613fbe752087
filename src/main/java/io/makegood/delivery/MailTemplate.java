package io.makegood.delivery;

import java.util.Map;
import java.util.regex.Pattern;

import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

/** A compiled template set: subject, plain text and HTML. Thread-safe; compile once, render many times. */
public final class MailTemplate {

	// A subject is one header line: any line break or control character would split or corrupt it.
	private static final Pattern CONTROL_RUNS = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");

	private final String name;

	private final Template subject;

	private final Template text;

	private final Template html;

	MailTemplate(String name, Template subject, Template text, Template html) {
		this.name = name;
		this.subject = subject;
		this.text = text;
		this.html = html;
	}

	public String name() {
		return this.name;
	}

	/**
	 * @throws TemplateRenderException when a template names a variable the model does not contain
	 */
	public RenderedMessage render(Map<String, Object> model) {
		String renderedSubject = execute(this.subject, "subject", model);
		return new RenderedMessage(singleLine(renderedSubject), execute(this.text, "text", model),
				execute(this.html, "html", model));
	}

	static String singleLine(String value) {
		for (int i = 0; i < value.length(); i++) {
			if (isControl(value.charAt(i))) {
				return CONTROL_RUNS.matcher(value).replaceAll(" ").strip();
			}
		}
		return value.strip();
	}

	// the characters CONTROL_RUNS matches; a subject nearly never has one, so the regex runs only when it does
	private static boolean isControl(char c) {
		return c < 0x20 || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029;
	}

	private String execute(Template template, String part, Map<String, Object> model) {
		try {
			return template.execute(model);
		}
		catch (MustacheException ex) {
			throw new TemplateRenderException(
					"Template '" + this.name + "' (" + part + ") cannot be rendered: " + ex.getMessage(), ex);
		}
	}

}
