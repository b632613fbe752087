package io.makegood.audience;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CsvAudienceSourceTest {

	private static final String HEADER = "account_id,email,name,plan,currency,monthly_fee,locale\r\n";

	@TempDir
	Path dir;

	private final AudienceRules rules = new AudienceRules();

	@Test
	void readsAllColumnsInFileOrder() throws IOException {
		Path file = write(HEADER + "A1,ann@example.com,Ann Lee,Premium,EUR,12.99,en-GB\r\n"
				+ "A2,bob@example.com,Bob,Basic,USD,7.50,en-US\r\n");
		List<Read> rows = readAll(file);
		assertThat(rows).extracting(Read::rowNo).containsExactly(1L, 2L);
		assertThat(rows.get(0).row().row()).isEqualTo(new AudienceRow("A1", "ann@example.com", "Ann Lee", "Premium",
				"EUR", new BigDecimal("12.99"), "en-GB", Map.of()));
		assertThat(rows.get(1).row().row().accountId()).isEqualTo("A2");
		assertThat(rows).allSatisfy(read -> assertThat(this.rules.check(read.row())).isEmpty());
	}

	@Test
	void stripsUtf8ByteOrderMark() throws IOException {
		Path file = this.dir.resolve("bom.csv");
		Files.write(file, ("\uFEFF" + HEADER + "A1,ann@example.com,Ann,,,,\r\n").getBytes(StandardCharsets.UTF_8));
		List<Read> rows = readAll(file);
		assertThat(rows).singleElement().satisfies(read -> {
			assertThat(read.row().row().accountId()).isEqualTo("A1");
			assertThat(read.row().row().attributes()).isEmpty();
		});
	}

	@Test
	void parsesQuotedCommasQuotesAndCrLf() throws IOException {
		Path file = write(HEADER + "A1,ann@example.com,\"Lee, Ann \"\"Annie\"\"\",Premium,EUR,12.99,en\r\n"
				+ "A2,bob@example.com,\"Bob\r\nBcc: eve@example.com\",Basic,EUR,1,en\r\n"
				+ "A3,cy@example.com,Cy,Basic,EUR,1,en\r\n");
		List<Read> rows = readAll(file);
		assertThat(rows).extracting(read -> read.row().row().name())
			.containsExactly("Lee, Ann \"Annie\"", "Bob\r\nBcc: eve@example.com", "Cy");
		assertThat(this.rules.check(rows.get(0).row())).isEmpty();
		assertThat(this.rules.check(rows.get(1).row()))
			.contains(new AudienceRules.Reject("control-characters", "name contains CR/LF"));
		assertThat(this.rules.check(rows.get(2).row())).isEmpty();
	}

	@Test
	void headerIsCaseInsensitiveAndExtraColumnsBecomeAttributes() throws IOException {
		Path file = write("Account_ID, EMAIL ,Region,Signup Channel\nA1,ann@example.com,EU,web\n");
		AudienceRow row = readAll(file).get(0).row().row();
		assertThat(row.accountId()).isEqualTo("A1");
		assertThat(row.email()).isEqualTo("ann@example.com");
		assertThat(row.name()).isNull();
		assertThat(row.monthlyFee()).isNull();
		assertThat(row.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("region", "EU", "signup channel", "web"));
	}

	@Test
	void duplicateHeaderColumnFailsNamingTheColumn() throws IOException {
		Path file = write("account_id,email,Email\nA1,a@example.com,b@example.com\n");
		assertThatExceptionOfType(AudienceSourceException.class).isThrownBy(() -> readAll(file))
			.withMessageContaining(file.toString())
			.withMessageContaining("[email] more than once");
	}

	@Test
	void missingAccountIdHeaderFailsNamingFileAndHeader() throws IOException {
		Path file = write("id,email\n1,a@example.com\n");
		assertThatExceptionOfType(AudienceSourceException.class).isThrownBy(() -> readAll(file))
			.withMessageContaining(file.toString())
			.withMessageContaining("account_id")
			.withMessageContaining("[id, email]");
	}

	@Test
	void missingFileFailsClearly() {
		Path file = this.dir.resolve("nope.csv");
		assertThatExceptionOfType(AudienceSourceException.class).isThrownBy(() -> readAll(file))
			.withMessageContaining(file.toString())
			.withMessageContaining("does not exist");
	}

	@Test
	void skipsEmptyLinesAndRowsOfEmptyCells() throws IOException {
		Path file = write(HEADER + "\r\nA1,ann@example.com,,,,,\r\n\r\n,,,,,,\r\n\nA2,bob@example.com,,,,,\r\n\r\n");
		List<Read> rows = readAll(file);
		assertThat(rows).extracting(read -> read.row().row().accountId()).containsExactly("A1", "A2");
		// row numbers are record positions, so the operator can still find A2 in the file
		assertThat(rows).extracting(Read::rowNo).containsExactly(1L, 3L);
	}

	@Test
	void acceptsWideUnicodeNames() throws IOException {
		Path file = write(HEADER + "A1,zoe@example.com,Zoë Ångström,,,,sv-SE\r\nA2,taro@example.jp,山田太郎,,JPY,1200,ja\r\n");
		List<Read> rows = readAll(file);
		assertThat(rows).extracting(read -> read.row().row().name()).containsExactly("Zoë Ångström", "山田太郎");
		assertThat(rows).allSatisfy(read -> assertThat(this.rules.check(read.row())).isEmpty());
	}

	@Test
	void unparseableFeeStreamsAndIsRejected() throws IOException {
		Path file = write(HEADER + "A1,ann@example.com,Ann,,EUR,\"12,50\",\r\nA2,bob@example.com,Bob,,EUR, 7.5 ,\r\n");
		List<Read> rows = readAll(file);
		assertThat(rows).hasSize(2);
		assertThat(rows.get(0).row().row().monthlyFee()).isNull();
		assertThat(this.rules.check(rows.get(0).row())).map(AudienceRules.Reject::reason).contains("invalid-fee");
		assertThat(rows.get(1).row().row().monthlyFee()).isEqualByComparingTo("7.5");
		assertThat(this.rules.check(rows.get(1).row())).isEmpty();
	}

	@Test
	void rowWithWrongFieldCountIsMalformed() throws IOException {
		Path file = write("account_id,email,name\nA1,ann@example.com,Ann,extra\nA2,bob@example.com\nA3,cy@example.com,Cy\n");
		List<Read> rows = readAll(file);
		assertThat(rows).extracting(read -> this.rules.check(read.row()).map(AudienceRules.Reject::reason).orElse("ok"))
			.containsExactly("malformed-row", "malformed-row", "ok");
		assertThat(this.rules.check(rows.get(1).row()).get().detail()).isEqualTo("row has 2 fields, the header has 3");
	}

	@Test
	void emptyAccountIdStreamsAndIsRejected() throws IOException {
		Path file = write("account_id,email\n,ann@example.com\n");
		assertThat(readAll(file)).singleElement()
			.satisfies(read -> assertThat(this.rules.check(read.row())).map(AudienceRules.Reject::reason)
				.contains("missing-account-id"));
	}

	@Test
	void keepsValuesVerbatim() throws IOException {
		Path file = write("account_id,email,name\nA1, ann@example.com,\" Ann \"\n");
		AudienceRow row = readAll(file).get(0).row().row();
		assertThat(row.email()).isEqualTo(" ann@example.com");
		assertThat(row.name()).isEqualTo(" Ann ");
		assertThat(this.rules.check(row)).map(AudienceRules.Reject::reason).contains("invalid-email");
	}

	@Test
	void unterminatedQuoteFailsNamingFileAndPosition() throws IOException {
		Path file = write("account_id,email,name\nA1,ann@example.com,Ann\nA2,bob@example.com,\"Bob\n");
		List<String> seen = new ArrayList<>();
		assertThatExceptionOfType(AudienceSourceException.class)
			.isThrownBy(() -> new CsvAudienceSource(file).read((rowNo, row) -> seen.add(row.row().accountId())))
			.withMessageContaining(file.toString())
			.withMessageContaining("after row 1");
		assertThat(seen).containsExactly("A1");
	}

	@Test
	void invalidUtf8FailsClearly() throws IOException {
		Path file = this.dir.resolve("latin1.csv");
		Files.write(file, "account_id,email,name\nA1,ann@example.com,Zoë\n".getBytes(StandardCharsets.ISO_8859_1));
		assertThatExceptionOfType(AudienceSourceException.class).isThrownBy(() -> readAll(file))
			.withMessageContaining("is not valid UTF-8");
	}

	@Test
	void consumerExceptionsPassThroughUnchanged() throws IOException {
		Path file = write("account_id,email\nA1,ann@example.com\n");
		IllegalStateException failure = new IllegalStateException("snapshot full");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> new CsvAudienceSource(file).read((rowNo, row) -> {
			throw failure;
		})).isSameAs(failure);
	}

	@Test
	void firstReadsOnlyTheFirstRow() throws IOException {
		Path file = write("account_id,email\nA1,ann@example.com\nA2,bob@example.com\n");
		assertThat(new CsvAudienceSource(file).first()).map(AudienceRow::accountId).contains("A1");
		assertThat(new CsvAudienceSource(write("account_id,email\n")).first()).isEmpty();
	}

	@Test
	void largeFileStreams() throws IOException {
		StringBuilder csv = new StringBuilder(HEADER);
		for (int i = 1; i <= 20_000; i++) {
			csv.append("A").append(i).append(",u").append(i).append("@example.com,User ").append(i).append(",,,,\r\n");
		}
		Path file = write(csv.toString());
		long[] count = { 0 };
		new CsvAudienceSource(file).read((rowNo, row) -> {
			count[0]++;
			assertThat(row.row().accountId()).isEqualTo("A" + rowNo);
		});
		assertThat(count[0]).isEqualTo(20_000);
	}

	private Path write(String content) throws IOException {
		Path file = Files.createTempFile(this.dir, "audience", ".csv");
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return file;
	}

	private static List<Read> readAll(Path file) {
		List<Read> rows = new ArrayList<>();
		new CsvAudienceSource(file).read((rowNo, row) -> rows.add(new Read(rowNo, row)));
		return rows;
	}

	private record Read(long rowNo, SourceRow row) {
	}

}
