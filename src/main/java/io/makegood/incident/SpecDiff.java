package io.makegood.incident;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Says, in operator terms, what was edited in a spec between two runs, e.g. {@code compensation.percent: 3 -> 5}.
 * Both texts are flattened to dotted paths, so formatting, comments, quoting and key order do not count as
 * changes.
 */
public final class SpecDiff {

	/** Long values such as SQL are shortened in the report; the full texts stay stored with each run. */
	static final int MAX_VALUE_LENGTH = 80;

	private SpecDiff() {
	}

	/**
	 * @return one line per changed path, in document order: {@code path: old -> new}, {@code path: added new} or
	 * {@code path: removed old}; empty when the specs say the same thing
	 * @throws InvalidSpecException if either text is not a single, safe YAML mapping
	 */
	public static List<String> changes(String oldYaml, String newYaml) {
		Map<String, String> before = flatten(oldYaml, "old spec");
		Map<String, String> after = flatten(newYaml, "new spec");
		Set<String> paths = new LinkedHashSet<>(before.keySet());
		paths.addAll(after.keySet());
		List<String> changes = new ArrayList<>();
		for (String path : paths) {
			String was = before.get(path);
			String is = after.get(path);
			if (was == null) {
				changes.add(path + ": added " + display(is));
			}
			else if (is == null) {
				changes.add(path + ": removed " + display(was));
			}
			else if (!was.equals(is)) {
				changes.add(path + ": " + describeChange(was, is));
			}
		}
		return changes;
	}

	private static String describeChange(String was, String is) {
		String shownWas = display(was);
		String shownIs = display(is);
		return shownWas.equals(shownIs) ? "changed (white space only)" : shownWas + " -> " + shownIs;
	}

	private static Map<String, String> flatten(String yaml, String which) {
		Problems problems = new Problems();
		Optional<MappingNode> root = SpecYaml.load(SpecYaml.withoutByteOrderMark(yaml), problems);
		if (root.isEmpty() || !problems.isEmpty()) {
			throw new InvalidSpecException(problems.toException().problems()
				.stream()
				.map((problem) -> new SpecProblem(problem.field(), which + " " + problem.problem()))
				.toList());
		}
		Map<String, String> values = new LinkedHashMap<>();
		flatten(root.get(), "", values);
		return values;
	}

	/** The tree was checked by SpecYaml: no aliases, so no node is visited twice. */
	private static void flatten(Node node, String path, Map<String, String> values) {
		if (node instanceof MappingNode mapping) {
			if (mapping.getValue().isEmpty()) {
				values.put(path.isEmpty() ? SpecYaml.DOCUMENT : path, "{}");
			}
			for (NodeTuple tuple : mapping.getValue()) {
				String key = ((ScalarNode) tuple.getKeyNode()).getValue();
				flatten(tuple.getValueNode(), SpecYaml.child(path, key), values);
			}
		}
		else if (node instanceof SequenceNode sequence) {
			List<Node> items = sequence.getValue();
			if (items.isEmpty()) {
				values.put(path, "[]");
			}
			for (int i = 0; i < items.size(); i++) {
				flatten(items.get(i), path + "[" + i + "]", values);
			}
		}
		else {
			values.put(path, SpecYaml.isNull(node) ? "null" : ((ScalarNode) node).getValue());
		}
	}

	private static String display(String value) {
		String oneLine = value.strip().replaceAll("\\s+", " ");
		if (oneLine.isEmpty()) {
			return "\"\"";
		}
		return (oneLine.length() <= MAX_VALUE_LENGTH) ? oneLine : oneLine.substring(0, MAX_VALUE_LENGTH - 3) + "...";
	}

}
