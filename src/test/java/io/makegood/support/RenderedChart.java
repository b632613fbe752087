package io.makegood.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.Yaml;

/** The Kubernetes objects {@code helm template} renders from helm/makegood, as parsed YAML. */
public record RenderedChart(String text, List<Map<String, Object>> objects) {

	public static final Path CHART = Path.of("helm", "makegood");

	/** A cluster version the chart supports; {@code helm template} assumes 1.20 unless told. */
	static final String KUBERNETES = "1.31.0";

	public static final String RELEASE = "care";

	/** Renders the chart with the given values file (or its defaults when null). */
	public static RenderedChart render(Path valuesFile) {
		TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withKubeVersion(KUBERNETES);
		if (valuesFile != null) {
			template.withValuesFile(valuesFile);
		}
		String text = template.call();
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml().loadAll(text)) {
			if (document != null) {
				objects.add(map(document));
			}
		}
		return new RenderedChart(text, objects);
	}

	public List<Map<String, Object>> ofKind(String kind) {
		return objects.stream().filter(object -> kind.equals(object.get("kind"))).toList();
	}

	public Optional<Map<String, Object>> find(String kind, String name) {
		return ofKind(kind).stream().filter(object -> name.equals(at(object, "metadata", "name"))).findFirst();
	}

	public Map<String, Object> get(String kind, String name) {
		return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + text));
	}

	/** The data of a rendered ConfigMap. */
	public Map<String, String> configMap(String name) {
		Object data = get("ConfigMap", name).get("data");
		@SuppressWarnings("unchecked")
		Map<String, String> strings = data == null ? Map.of() : (Map<String, String>) data;
		return strings;
	}

	/** The pod template of a Job, of a CronJob's job or of a Deployment. */
	public static Map<String, Object> podSpec(Map<String, Object> object) {
		return switch ((String) object.get("kind")) {
			case "CronJob" -> map(at(object, "spec", "jobTemplate", "spec", "template", "spec"));
			default -> map(at(object, "spec", "template", "spec"));
		};
	}

	/** The chart's one container in a pod template. */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> container(Map<String, Object> podSpec) {
		return ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
	}

	/** The value at a path of keys, or null. */
	public static Object at(Map<String, Object> object, String... keys) {
		Object current = object;
		for (String key : keys) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(key);
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
