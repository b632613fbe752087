package io.makegood.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * An incident spec with a CSV audience of {@code accounts} distinct accounts, each with its own address,
 * written to a directory the way an operator would lay it out (the CSV next to the spec).
 */
public record CsvIncident(String id, Path spec, List<String> accountIds, List<String> recipients) {

	public static CsvIncident write(Path directory, String id, int accounts) {
		return write(directory, id, IntStream.rangeClosed(1, accounts)
			.mapToObj(n -> "customer-%05d@example.org".formatted(n))
			.toList(), "");
	}

	/** @param extraYaml appended to the spec, e.g. a delivery section */
	public static CsvIncident write(Path directory, String id, List<String> recipients, String extraYaml) {
		int accounts = recipients.size();
		List<String> accountIds = IntStream.rangeClosed(1, accounts).mapToObj(n -> "A-%05d".formatted(n)).toList();
		StringBuilder csv = new StringBuilder("account_id,email,name,plan,currency,monthly_fee,locale\n");
		for (int i = 0; i < accounts; i++) {
			csv.append(accountIds.get(i))
				.append(',')
				.append(recipients.get(i))
				.append(",Customer ")
				.append(i + 1)
				.append(",standard,USD,15.49,en-US\n");
		}
		String spec = """
				id: %s
				title: Streaming unavailable on 28 November
				audience:
				  source: csv
				  file: %s-accounts.csv
				compensation:
				  kind: percent-of-fee
				  percent: 3
				  apply: automatic
				message:
				  template: streaming-outage
				  from: "Example Streaming <care@example.com>"
				""".formatted(id, id) + extraYaml;
		try {
			Files.createDirectories(directory);
			Files.writeString(directory.resolve(id + "-accounts.csv"), csv, StandardCharsets.UTF_8);
			Path specFile = directory.resolve(id + ".yml");
			Files.writeString(specFile, spec, StandardCharsets.UTF_8);
			return new CsvIncident(id, specFile, accountIds, recipients);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int size() {
		return accountIds.size();
	}

}
