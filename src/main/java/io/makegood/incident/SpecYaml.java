package io.makegood.incident;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads untrusted spec text into a SnakeYAML node tree. Only the composer runs: no Java object is ever constructed
 * from the document, scalars keep their exact text (so {@code 5.00} stays {@code 5.00} and {@code NO} stays
 * {@code NO}), and the loader limits stop size, depth and alias bombs before they cost memory.
 */
final class SpecYaml {

	static final String DOCUMENT = "(document)";

	/** Matches mg_incident.spec_text, so every accepted spec can be stored exactly as read. */
	static final int MAX_CHARACTERS = 1_000_000;

	/** A spec is three levels deep; anything far deeper is a mistake or an attack. */
	static final int MAX_NESTING = 10;

	/**
	 * A spec needs no aliases at all and the tree walk reports every one; this limit only makes the composer give
	 * up on a "billion laughs" document early.
	 */
	static final int MAX_ALIASES = 10;

	private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
			Tag.TIMESTAMP, Tag.MAP, Tag.SEQ);

	private SpecYaml() {
	}

	static String withoutByteOrderMark(String text) {
		return text.startsWith("\uFEFF") ? text.substring(1) : text;
	}

	/**
	 * @return the document's root mapping, inspected for anchors, aliases, tags and duplicate keys; empty when the
	 * text is not a single YAML mapping (the reason is in {@code problems})
	 */
	static Optional<MappingNode> load(String text, Problems problems) {
		if (text.length() > MAX_CHARACTERS) {
			problems.add(DOCUMENT, "is larger than " + MAX_CHARACTERS + " characters");
			return Optional.empty();
		}
		List<Node> documents;
		try {
			documents = firstDocuments(text, 2);
		}
		catch (YAMLException ex) {
			problems.add(DOCUMENT, describe(ex));
			return Optional.empty();
		}
		if (documents.size() > 1) {
			problems.add(DOCUMENT, "holds more than one YAML document; a spec is exactly one");
			return Optional.empty();
		}
		if (documents.isEmpty() || isNull(documents.get(0))) {
			problems.add(DOCUMENT, "is empty; a spec needs at least id, title, audience and message");
			return Optional.empty();
		}
		if (!(documents.get(0) instanceof MappingNode root)) {
			problems.add(DOCUMENT, "must be a mapping of fields, got " + kindOf(documents.get(0)));
			return Optional.empty();
		}
		new Inspection(problems).visit(root, "");
		return Optional.of(root);
	}

	static boolean isNull(Node node) {
		return node == null || Tag.NULL.equals(node.getTag());
	}

	static String kindOf(Node node) {
		if (node instanceof MappingNode) {
			return "a mapping";
		}
		if (node instanceof SequenceNode) {
			return "a list";
		}
		return isNull(node) ? "nothing" : "'" + ((ScalarNode) node).getValue() + "'";
	}

	static String child(String path, String key) {
		return path.isEmpty() ? key : path + "." + key;
	}

	private static List<Node> firstDocuments(String text, int max) {
		LoaderOptions options = loaderOptions();
		Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
				options, new Resolver());
		List<Node> documents = new ArrayList<>();
		Iterator<Node> iterator = yaml.composeAll(new StringReader(text)).iterator();
		while (documents.size() < max && iterator.hasNext()) {
			documents.add(iterator.next());
		}
		return documents;
	}

	private static LoaderOptions loaderOptions() {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		options.setMaxAliasesForCollections(MAX_ALIASES);
		options.setAllowRecursiveKeys(false);
		options.setNestingDepthLimit(MAX_NESTING);
		options.setCodePointLimit(MAX_CHARACTERS);
		options.setProcessComments(false);
		options.setTagInspector((tag) -> false);
		return options;
	}

	private static String describe(YAMLException ex) {
		String message = String.valueOf(ex.getMessage());
		if (message.contains("Number of aliases")) {
			return "uses too many aliases (a YAML bomb?); anchors and aliases are not allowed in a spec";
		}
		if (message.contains("Nesting Depth")) {
			return "is nested deeper than " + MAX_NESTING + " levels";
		}
		if (message.contains("exceeds the limit")) {
			return "is larger than " + MAX_CHARACTERS + " characters";
		}
		if (ex instanceof MarkedYAMLException marked) {
			return "is not valid YAML: " + describe(marked);
		}
		return "is not valid YAML: " + message.lines().findFirst().orElse(message);
	}

	private static String describe(MarkedYAMLException ex) {
		StringBuilder text = new StringBuilder();
		if (ex.getContext() != null) {
			text.append(ex.getContext()).append(", ");
		}
		text.append(ex.getProblem());
		Mark mark = ex.getProblemMark() != null ? ex.getProblemMark() : ex.getContextMark();
		if (mark != null) {
			text.append(" (line ").append(mark.getLine() + 1).append(", column ").append(mark.getColumn() + 1)
				.append(')');
		}
		return text.toString();
	}

	/** Walks the tree once; a node met twice is an alias, so a shared subtree is never walked again. */
	private static final class Inspection {

		private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());

		private final Problems problems;

		Inspection(Problems problems) {
			this.problems = problems;
		}

		void visit(Node node, String path) {
			if (!seen.add(node)) {
				problems.add(path, "aliases are not allowed in a spec; write the value out");
				return;
			}
			if (node.getAnchor() != null) {
				problems.add(path, "anchors (&" + node.getAnchor() + ") are not allowed in a spec");
			}
			if (!PLAIN_TAGS.contains(node.getTag())) {
				problems.add(path, "tag " + node.getTag() + " is not allowed; use plain YAML values");
			}
			if (node instanceof MappingNode mapping) {
				visitMapping(mapping, path);
			}
			else if (node instanceof SequenceNode sequence) {
				List<Node> items = sequence.getValue();
				for (int i = 0; i < items.size(); i++) {
					visit(items.get(i), path + "[" + i + "]");
				}
			}
		}

		private void visitMapping(MappingNode mapping, String path) {
			Set<String> keys = new HashSet<>();
			for (NodeTuple tuple : mapping.getValue()) {
				Node key = tuple.getKeyNode();
				if (Tag.MERGE.equals(key.getTag())) {
					problems.add(path, "merge keys (<<) are not allowed in a spec");
					continue;
				}
				if (!(key instanceof ScalarNode scalarKey) || isNull(key)) {
					problems.add(path, "keys must be plain text, got " + kindOf(key));
					continue;
				}
				if (!seen.add(key) || key.getAnchor() != null) {
					problems.add(path, "anchors and aliases are not allowed in a spec, not even on keys");
					continue;
				}
				String field = child(path, scalarKey.getValue());
				if (!keys.add(scalarKey.getValue())) {
					problems.add(field, "duplicate key");
				}
				visit(tuple.getValueNode(), field);
			}
		}

	}

}
