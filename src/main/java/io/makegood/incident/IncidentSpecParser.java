package io.makegood.incident;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.ScalarNode;
import io.makegood.incident.IncidentSpec.Audience;
import io.makegood.incident.IncidentSpec.Compensation;
import io.makegood.incident.IncidentSpec.Delivery;
import io.makegood.incident.IncidentSpec.Guard;
import io.makegood.incident.IncidentSpec.Message;
import io.makegood.incident.IncidentSpec.Window;

import org.yaml.snakeyaml.nodes.MappingNode;

/**
 * Reads an incident spec (see docs/spec-format.md) and refuses it with every problem at once, because an operator
 * fixing a spec during an outage should not have to rerun the check once per typo.
 * <p>
 * Stateless and thread-safe.
 */
public final class IncidentSpecParser {

	static final List<String> KEYS = List.of("id", "title", "window", "audience", "compensation", "message",
			"delivery", "guard", "approval");

	private static final List<String> WINDOW_KEYS = List.of("start", "end");

	private static final List<String> DELIVERY_KEYS = List.of("rate", "domains");

	private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,199}");

	/** Matches mg_incident.title. */
	private static final int MAX_TITLE_LENGTH = 500;

	/** Reads the file as UTF-8 and resolves relative paths in it against the file's directory. */
	public IncidentSpec parse(Path file) {
		Path absolute = file.toAbsolutePath().normalize();
		return parse(read(absolute), absolute.getParent());
	}

	/**
	 * @param baseDir directory that relative paths in the spec (such as {@code audience.file}) resolve against
	 * @throws InvalidSpecException listing every problem found
	 */
	public IncidentSpec parse(String yaml, Path baseDir) {
		return parse(yaml, baseDir, false);
	}

	/**
	 * Reads a registered spec whose audience is frozen in mg_audience. Every check of {@link #parse(String, Path)}
	 * applies except that an {@code audience.file} need not exist any more: the file is never read again, and a
	 * resumed delivery must not wait for it to be put back.
	 *
	 * @throws InvalidSpecException listing every problem found
	 */
	public IncidentSpec parseFrozen(String yaml, Path baseDir) {
		return parse(yaml, baseDir, true);
	}

	private IncidentSpec parse(String yaml, Path baseDir, boolean audienceFrozen) {
		Objects.requireNonNull(yaml, "yaml");
		Objects.requireNonNull(baseDir, "baseDir");
		Path base = baseDir.toAbsolutePath().normalize();
		String text = SpecYaml.withoutByteOrderMark(yaml);
		Problems problems = new Problems();
		Optional<MappingNode> root = SpecYaml.load(text, problems);
		if (root.isEmpty()) {
			throw problems.toException();
		}
		SpecSection spec = SpecSection.of(root.get(), "", KEYS, problems);
		Optional<String> id = id(spec);
		Optional<String> title = title(spec);
		Optional<Window> window = spec.section("window", WINDOW_KEYS).flatMap(IncidentSpecParser::window);
		boolean windowGiven = spec.has("window");
		Optional<Audience> audience = spec.requiredSection("audience", AudienceReader.KEYS)
			.flatMap((section) -> AudienceReader.read(section, base, windowGiven, audienceFrozen));
		Optional<Compensation> compensation = spec.section("compensation", CompensationReader.KEYS)
			.flatMap(CompensationReader::read);
		Optional<Message> message = spec.requiredSection("message", MessageReader.KEYS)
			.flatMap(MessageReader::read);
		Delivery delivery = spec.section("delivery", DELIVERY_KEYS)
			.map(IncidentSpecParser::delivery)
			.orElseGet(() -> new Delivery(null));
		Guard guard = spec.section("guard", GuardReader.KEYS).map(GuardReader::read).orElseGet(Guard::none);
		boolean approvalRequired = GuardReader.approvalRequired(spec);
		problems.throwIfAny();
		return new IncidentSpec(id.orElseThrow(), title.orElseThrow(), window.orElse(null), audience.orElseThrow(),
				compensation.orElseGet(Compensation::none), message.orElseThrow(), delivery, text, base, guard,
				approvalRequired);
	}

	private static Optional<String> id(SpecSection spec) {
		return spec.requiredText("id").filter((id) -> {
			boolean valid = ID.matcher(id).matches();
			if (!valid) {
				spec.problem("id", "must match " + ID.pattern()
						+ " (lower case letters, digits, '.', '_' and '-'; at most 200 characters)");
			}
			return valid;
		});
	}

	private static Optional<String> title(SpecSection spec) {
		return spec.requiredText("title").filter((title) -> {
			boolean valid = title.length() <= MAX_TITLE_LENGTH;
			if (!valid) {
				spec.problem("title", "must be at most " + MAX_TITLE_LENGTH + " characters");
			}
			return valid;
		});
	}

	private static Optional<Window> window(SpecSection window) {
		Optional<Instant> start = window.requiredText("start").flatMap((text) -> instant(window, "start", text));
		Optional<Instant> end = window.requiredText("end").flatMap((text) -> instant(window, "end", text));
		if (start.isEmpty() || end.isEmpty()) {
			return Optional.empty();
		}
		if (end.get().isBefore(start.get())) {
			window.problem("end " + end.get() + " is before start " + start.get());
			return Optional.empty();
		}
		return Optional.of(new Window(start.get(), end.get()));
	}

	private static Optional<Instant> instant(SpecSection window, String key, String text) {
		try {
			// An offset is required: a window read in the wrong time zone would select the wrong customers.
			return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
		}
		catch (DateTimeParseException ex) {
			window.problem(key, "must be an ISO-8601 instant with an offset, e.g. 2026-11-28T18:05:00Z; got '"
					+ text + "'");
			return Optional.empty();
		}
	}

	private static Delivery delivery(SpecSection delivery) {
		Map<String, Double> domains = new LinkedHashMap<>();
		delivery.entries("domains").ifPresent(entries -> entries.forEach((domain, node) -> {
			String key = "domains." + domain;
			if (!(node instanceof ScalarNode scalar)) {
				delivery.problem(key, "must be a rate like 50/s");
				return;
			}
			rate(delivery, key, scalar.getValue()).ifPresent(perSecond -> domains.put(domain.toLowerCase(Locale.ROOT), perSecond));
		}));
		Double rate = delivery.text("rate").flatMap(text -> rate(delivery, "rate", text)).orElse(null);
		return new Delivery(rate, domains);
	}

	private static Optional<Double> rate(SpecSection delivery, String key, String text) {
		Optional<Double> perSecond = DeliveryRate.perSecond(text);
		if (perSecond.isEmpty()) {
			delivery.problem(key, "must look like N/s, N/m or N/h (e.g. 50/s), got '" + text + "'");
			return Optional.empty();
		}
		if (perSecond.get() <= 0) {
			delivery.problem(key, "must be greater than 0");
			return Optional.empty();
		}
		return perSecond;
	}

	private static String read(Path file) {
		Problems problems = new Problems();
		try {
			// Checked before reading, so a huge file is refused without loading it into memory.
			if (Files.size(file) > 4L * SpecYaml.MAX_CHARACTERS) {
				problems.add(SpecYaml.DOCUMENT, "is larger than " + SpecYaml.MAX_CHARACTERS + " characters");
				throw problems.toException();
			}
			byte[] bytes = Files.readAllBytes(file);
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			problems.add(SpecYaml.DOCUMENT, "is not valid UTF-8");
		}
		catch (NoSuchFileException ex) {
			problems.add("(file)", "not found: " + file);
		}
		catch (IOException ex) {
			problems.add("(file)", "cannot read " + file + ": " + ex.getClass().getSimpleName());
		}
		throw problems.toException();
	}

}
