package io.makegood.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

/**
 * Finds template sets by name: first {@code <directory>/<name>/}, then the classpath under
 * {@code mail-templates/<name>/}. Each set holds {@code subject.mustache}, {@code text.mustache} and
 * {@code html.mustache}; all three come from the same place so a set is never half operator, half built-in.
 */
public final class MailTemplates {

	public static final Path DEFAULT_DIRECTORY = Path.of("jobs", "templates");

	static final String CLASSPATH_ROOT = "mail-templates/";

	private static final String[] FILES = { "subject.mustache", "text.mustache", "html.mustache" };

	// Names end up in paths: anything that could climb out of the template directory is refused.
	private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	private static final Mustache.Compiler PLAIN = TemplateCompilers.PLAIN;

	private static final Mustache.Compiler HTML = TemplateCompilers.HTML;

	private final Path directory;

	private final ClassLoader classLoader;

	private final Map<String, MailTemplate> cache = new ConcurrentHashMap<>();

	public MailTemplates() {
		this(DEFAULT_DIRECTORY);
	}

	public MailTemplates(Path directory) {
		this(directory, MailTemplates.class.getClassLoader());
	}

	public MailTemplates(Path directory, ClassLoader classLoader) {
		this.directory = directory;
		this.classLoader = classLoader;
	}

	/**
	 * @throws TemplateNotFoundException when no complete set of that name exists
	 * @throws TemplateRenderException when a template does not compile
	 */
	public MailTemplate load(String name) {
		return this.cache.computeIfAbsent(name, this::compile);
	}

	private MailTemplate compile(String name) {
		String[] sources = readSources(name);
		return new MailTemplate(name, compile(PLAIN, name, "subject", sources[0]),
				compile(PLAIN, name, "text", sources[1]), compile(HTML, name, "html", sources[2]));
	}

	private static Template compile(Mustache.Compiler compiler, String name, String part, String source) {
		try {
			return compiler.compile(source);
		}
		catch (MustacheException ex) {
			throw new TemplateRenderException(
					"Template '" + name + "' (" + part + ") does not compile: " + ex.getMessage(), ex);
		}
	}

	private String[] readSources(String name) {
		if (name == null || !SAFE_NAME.matcher(name).matches()) {
			throw new TemplateNotFoundException(String.valueOf(name), "Template name '" + name
					+ "' is not valid: use letters, digits, '.', '_' and '-' only");
		}
		Path setDirectory = (this.directory != null) ? this.directory.resolve(name) : null;
		if (setDirectory != null && Files.isDirectory(setDirectory)) {
			return readFromDirectory(name, setDirectory);
		}
		if (this.classLoader.getResource(CLASSPATH_ROOT + name + "/" + FILES[0]) != null) {
			return readFromClasspath(name);
		}
		throw new TemplateNotFoundException(name, "Template '" + name + "' not found: looked in "
				+ describe(setDirectory) + " and on the classpath at " + CLASSPATH_ROOT + name + "/");
	}

	private static String[] readFromDirectory(String name, Path setDirectory) {
		String[] sources = new String[FILES.length];
		for (int i = 0; i < FILES.length; i++) {
			Path file = setDirectory.resolve(FILES[i]);
			if (!Files.isRegularFile(file)) {
				throw new TemplateNotFoundException(name, "Template '" + name + "' is incomplete: "
						+ file.toAbsolutePath().normalize() + " does not exist");
			}
			try {
				sources[i] = Files.readString(file, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read " + file, ex);
			}
		}
		return sources;
	}

	private String[] readFromClasspath(String name) {
		String[] sources = new String[FILES.length];
		for (int i = 0; i < FILES.length; i++) {
			String resource = CLASSPATH_ROOT + name + "/" + FILES[i];
			try (InputStream in = this.classLoader.getResourceAsStream(resource)) {
				if (in == null) {
					throw new TemplateNotFoundException(name,
							"Template '" + name + "' is incomplete: classpath:" + resource + " does not exist");
				}
				sources[i] = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read classpath:" + resource, ex);
			}
		}
		return sources;
	}

	private static String describe(Path setDirectory) {
		return (setDirectory != null) ? setDirectory.toAbsolutePath().normalize().toString() : "(no directory)";
	}

}
