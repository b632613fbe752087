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

	// Last rendered length of each part, so the next message's buffer is sized right the first time. Only a hint:
	// racing threads may overwrite each other's value, which costs at most one buffer growth.
	private final int[] lengthHints = new int[3];

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
		String renderedSubject = execute(this.subject, 0, "subject", model);
		return new RenderedMessage(singleLine(renderedSubject), execute(this.text, 1, "text", model),
				execute(this.html, 2, "html", model));
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

	private String execute(Template template, int index, String part, Map<String, Object> model) {
		try {
			TextWriter out = new TextWriter(this.lengthHints[index] + 64);
			template.execute(model, out);
			this.lengthHints[index] = out.length();
			return out.toString();
		}
		catch (MustacheException ex) {
			throw new TemplateRenderException(
					"Template '" + this.name + "' (" + part + ") cannot be rendered: " + ex.getMessage(), ex);
		}
	}

}
