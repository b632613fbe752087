package io.makegood.incident;

import java.util.LinkedHashMap;
import java.util.Map;

/** A valid spec whose sections a test replaces one at a time, so each test shows only what it breaks. */
final class SpecText {

	private final Map<String, String> sections = new LinkedHashMap<>();

	private SpecText() {
		sections.put("id", "id: streaming-outage-2026-11-28\n");
		sections.put("title", "title: Streaming unavailable on 28 November\n");
		sections.put("window", """
				window:
				  start: 2026-11-28T18:05:00Z
				  end: 2026-11-28T23:40:00Z
				""");
		sections.put("audience", """
				audience:
				  source: sql
				  query: select * from accounts where updated between :windowStart and :windowEnd
				""");
		sections.put("compensation", """
				compensation:
				  kind: percent-of-fee
				  percent: 3
				""");
		sections.put("message", """
				message:
				  template: streaming-outage
				  from: "Example Streaming <care@example.com>"
				""");
		sections.put("delivery", """
				delivery:
				  rate: 50/s
				""");
	}

	static SpecText valid() {
		return new SpecText();
	}

	/** @param yaml the whole section, starting with its key, e.g. {@code "compensation:\n  kind: none\n"} */
	SpecText with(String section, String yaml) {
		sections.put(section, yaml.endsWith("\n") ? yaml : yaml + "\n");
		return this;
	}

	SpecText without(String section) {
		sections.remove(section);
		return this;
	}

	String yaml() {
		return String.join("", sections.values());
	}

	@Override
	public String toString() {
		return yaml();
	}

}
