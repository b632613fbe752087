package io.makegood.delivery;

import java.util.Map;

import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

/** A compiled template set: subject, plain text and HTML. Thread-safe; compile once, render many times. */
public final class MailTemplate {

	// A subject is one header line: any line break or control character would split or corrupt it, so each run
	// of them becomes one space (see singleLine).

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
		int first = 0;
		while (first < value.length() && !isControl(value.charAt(first))) {
			first++;
		}
		if (first == value.length()) {
			return value.strip();
		}
		// one space per run, as a regex replaceAll of runs would give, without running a regex per message
		StringBuilder line = new StringBuilder(value.length());
		line.append(value, 0, first);
		boolean inRun = false;
		for (int i = first; i < value.length(); i++) {
			char c = value.charAt(i);
			if (isControl(c)) {
				if (!inRun) {
					line.append(' ');
				}
				inRun = true;
			}
			else {
				line.append(c);
				inRun = false;
			}
		}
		return line.toString().strip();
	}

	// ASCII control characters (\p{Cntrl}), NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR
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
