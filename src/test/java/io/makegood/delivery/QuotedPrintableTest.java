package io.makegood.delivery;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuotedPrintableTest {

	@Test
	void encodesExactlyAsTheByteAtATimeReference() {
		Random random = new Random(7);
		String[] pieces = { "a", "Z", "0", " ", "\t", "=", ".", "From ", "F", "-", "é", "€", "𝄞", "\n", "\r", "\r\n",
				"\uD800", "\uDC00", "x".repeat(70), "é".repeat(30), "word " };
		for (int run = 0; run < 5000; run++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(120);
			for (int i = 0; i < length; i++) {
				text.append(pieces[random.nextInt(pieces.length)]);
			}
			assertThat(encode(text.toString())).as(text.toString()).isEqualTo(reference(text.toString()));
		}
	}

	@Test
	void growsTheSinkAsNeeded() {
		String text = "€".repeat(5000) + "\n" + "x".repeat(5000);
		assertThat(encode(text)).isEqualTo(reference(text));
	}

	private static byte[] encode(String text) {
		ByteSink sink = new ByteSink(1);
		sink.ascii("head");
		QuotedPrintable.encode(text, sink);
		return sink.toByteArray();
	}

	private static byte[] reference(String text) {
		ByteSink sink = new ByteSink(1);
		sink.ascii("head");
		ReferenceQuotedPrintable.encode(text, sink);
		return sink.toByteArray();
	}

}
