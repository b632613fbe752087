package io.makegood.incident;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One mapping of a spec, with typed accessors that report a problem (and return empty) instead of throwing, so a
 * single pass finds every mistake. Unknown keys are reported when the section is opened.
 */
final class SpecSection {

	private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?");

	private final String path;

	private final Map<String, Node> fields = new LinkedHashMap<>();

	private final Problems problems;

	private SpecSection(String path, Problems problems) {
		this.path = path;
		this.problems = problems;
	}

	static SpecSection of(MappingNode mapping, String path, List<String> knownKeys, Problems problems) {
		SpecSection section = new SpecSection(path, problems);
		for (NodeTuple tuple : mapping.getValue()) {
			// Non-text and duplicate keys were already reported by SpecYaml; the first occurrence wins here.
			if (tuple.getKeyNode() instanceof ScalarNode key && !SpecYaml.isNull(key)) {
				String name = key.getValue();
				if (knownKeys.contains(name)) {
					section.fields.putIfAbsent(name, tuple.getValueNode());
				}
				else {
					problems.add(SpecYaml.child(path, name), KeySuggestion.unknownField(name, knownKeys));
				}
			}
		}
		return section;
	}

	String field(String key) {
		return SpecYaml.child(path, key);
	}

	Problems problems() {
		return problems;
	}

	/** Whether the key is present with a value other than null. */
	boolean has(String key) {
		return !SpecYaml.isNull(fields.get(key));
	}

	Optional<String> text(String key) {
		Node node = fields.get(key);
		if (SpecYaml.isNull(node)) {
			return Optional.empty();
		}
		if (node instanceof ScalarNode scalar) {
			return Optional.of(scalar.getValue());
		}
		problems.add(field(key), "must be text, got " + SpecYaml.kindOf(node));
		return Optional.empty();
	}

	/** Text that must be present and not blank; returned stripped of surrounding white space. */
	Optional<String> requiredText(String key) {
		if (!has(key)) {
			problems.add(field(key), "is required");
			return Optional.empty();
		}
		Optional<String> text = text(key).map(String::strip);
		if (text.isPresent() && text.get().isEmpty()) {
			problems.add(field(key), "must not be empty");
			return Optional.empty();
		}
		return text;
	}

	Optional<BigDecimal> number(String key) {
		Node node = fields.get(key);
		if (SpecYaml.isNull(node)) {
			return Optional.empty();
		}
		return number(node, field(key));
	}

	Optional<BigDecimal> number(Node node, String field) {
		if (!(node instanceof ScalarNode scalar)) {
			problems.add(field, "must be a number, got " + SpecYaml.kindOf(node));
			return Optional.empty();
		}
		String value = scalar.getValue().strip();
		if (!DECIMAL.matcher(value).matches()) {
			problems.add(field, "must be a plain decimal number such as 3 or 4.50, got '" + value + "'");
			return Optional.empty();
		}
		return Optional.of(new BigDecimal(value));
	}

	Optional<SpecSection> section(String key, List<String> knownKeys) {
		Node node = fields.get(key);
		if (SpecYaml.isNull(node)) {
			return Optional.empty();
		}
		if (node instanceof MappingNode mapping) {
			return Optional.of(of(mapping, field(key), knownKeys, problems));
		}
		problems.add(field(key), "must be a mapping of " + String.join(", ", knownKeys) + "; got "
				+ SpecYaml.kindOf(node));
		return Optional.empty();
	}

	Optional<SpecSection> requiredSection(String key, List<String> knownKeys) {
		if (!has(key)) {
			problems.add(field(key), "is required");
		}
		return section(key, knownKeys);
	}

	/** The raw entries of a mapping whose keys are data (e.g. currency codes), not field names. */
	Optional<Map<String, Node>> entries(String key) {
		Node node = fields.get(key);
		if (SpecYaml.isNull(node)) {
			return Optional.empty();
		}
		if (!(node instanceof MappingNode mapping)) {
			problems.add(field(key), "must be a mapping, got " + SpecYaml.kindOf(node));
			return Optional.empty();
		}
		Map<String, Node> entries = new LinkedHashMap<>();
		for (NodeTuple tuple : mapping.getValue()) {
			if (tuple.getKeyNode() instanceof ScalarNode entryKey && !SpecYaml.isNull(entryKey)) {
				entries.putIfAbsent(entryKey.getValue(), tuple.getValueNode());
			}
		}
		return Optional.of(entries);
	}

	/** A list of texts, written as a YAML sequence ({@code [SENT, IN_DOUBT]}) or as one text. */
	Optional<List<String>> textList(String key) {
		Node node = fields.get(key);
		if (SpecYaml.isNull(node)) {
			return Optional.empty();
		}
		if (node instanceof ScalarNode scalar) {
			return Optional.of(List.of(scalar.getValue().strip()));
		}
		if (node instanceof SequenceNode sequence) {
			List<String> values = new java.util.ArrayList<>();
			for (Node item : sequence.getValue()) {
				if (item instanceof ScalarNode scalar && !SpecYaml.isNull(scalar)) {
					values.add(scalar.getValue().strip());
				}
				else {
					problems.add(field(key), "must be a list of texts, got an item that is " + SpecYaml.kindOf(item));
					return Optional.empty();
				}
			}
			return Optional.of(List.copyOf(values));
		}
		problems.add(field(key), "must be a list of texts, got " + SpecYaml.kindOf(node));
		return Optional.empty();
	}

	/** Reports a field that has no meaning in the current context, e.g. {@code percent} with kind fixed. */
	void rejectIfPresent(String key, String reason) {
		if (has(key)) {
			problems.add(field(key), reason);
		}
	}

	void problem(String key, String problem) {
		problems.add(field(key), problem);
	}

	/** For problems about the section as a whole, such as a window whose end precedes its start. */
	void problem(String problem) {
		problems.add(path, problem);
	}

}
