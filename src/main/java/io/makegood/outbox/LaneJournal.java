package io.makegood.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.makegood.outbox.OutboxRepository.Outcome;

/**
 * What one delivery lane is doing, written to a local file before the database hears of it. A lane claims rows
 * in batches and commits their outcomes per batch, so after a crash the database alone would have to hold every
 * claimed row as IN_DOUBT. The journal tells which of them had actually reached the transport.
 * <p>
 * Each entry is one {@code write(2)} without {@code fsync}: it survives the death of the process (the kernel
 * holds it), not of the machine. The header therefore names the boot it was written in, and {@link #read}
 * trusts a journal only in that same boot; otherwise every claimed row stays IN_DOUBT, as without a journal.
 * Entries: {@code C id} claimed (written before the claim commits), {@code S id} handed to the transport,
 * {@code D id status at next reason} settled.
 */
public final class LaneJournal implements AutoCloseable {

	static final String MAGIC = "makegood-lane-journal 1";

	/** The first line: what the file is, and the boot of the machine it was written in. */
	private static String header(String bootId) {
		return MAGIC + "\tboot=" + bootId;
	}

	/** Past this size the lane starts a fresh journal at its next commit, so the file stays small. */
	static final long COMPACT_AT = 1 << 20;

	private final Path file;

	private final FileChannel channel;

	private final long headerLength;

	private LaneJournal() {
		this.file = null;
		this.channel = null;
		this.headerLength = 0;
	}

	private LaneJournal(Path file, String bootId) {
		this.file = file;
		try {
			Files.createDirectories(file.getParent());
			this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING);
			this.headerLength = write(header(bootId) + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the delivery journal " + file, ex);
		}
	}

	static LaneJournal open(Path file, String bootId) {
		return new LaneJournal(file, bootId);
	}

	/** A lane without a journal: a crash leaves its whole claimed batch IN_DOUBT. */
	static LaneJournal none() {
		return new LaneJournal();
	}

	public void claiming(List<String> accountIds) {
		StringBuilder entries = new StringBuilder(accountIds.size() * 16);
		for (String accountId : accountIds) {
			entries.append("C\t").append(escape(accountId)).append('\n');
		}
		append(entries.toString());
	}

	public void sending(String accountId) {
		append("S\t" + escape(accountId) + "\n");
	}

	public void settled(Outcome outcome, Instant at) {
		append("D\t" + escape(outcome.accountId()) + "\t" + outcome.status().name() + "\t" + at.toEpochMilli() + "\t"
				+ (outcome.nextAttemptAt() == null ? "-" : outcome.nextAttemptAt().toEpochMilli()) + "\t"
				+ (outcome.reason() == null ? "-" : "=" + escape(outcome.reason())) + "\n");
	}

	/** Whether a fresh journal should be started once everything in this one is committed. */
	public boolean isLarge() {
		if (channel == null) {
			return false;
		}
		try {
			return channel.position() > COMPACT_AT;
		}
		catch (IOException ex) {
			return true;
		}
	}

	/** Forgets every entry; only once the database holds everything they say. */
	public void clear() {
		if (channel == null) {
			return;
		}
		try {
			channel.truncate(headerLength);
			channel.position(headerLength);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot clear the delivery journal " + file, ex);
		}
	}

	private void append(String entries) {
		if (channel == null) {
			return;
		}
		try {
			write(entries);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the delivery journal " + file, ex);
		}
	}

	private long write(String text) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
		long written = 0;
		while (bytes.hasRemaining()) {
			written += channel.write(bytes);
		}
		return written;
	}

	/** The lane ended with notes the database never got: the file stays, for its sender to be settled from. */
	public void keep() {
		if (channel == null) {
			return;
		}
		try {
			channel.close();
		}
		catch (IOException ex) {
			// every note was written when it was made; closing adds nothing to the file
		}
	}

	/** The lane ended with everything committed: nothing in the journal is needed any more. */
	@Override
	public void close() {
		if (channel == null) {
			return;
		}
		try (FileChannel closing = channel) {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// a journal left behind is only read for a sender that died, which this one did not
		}
	}

	/** What a journal says about each account it names, last entry winning. */
	public sealed interface Evidence {

		/** Claimed, never handed to the transport: safe to send again. */
		record Unsent() implements Evidence {
		}

		/** Handed to the transport without a known outcome: in doubt. */
		record InFlight() implements Evidence {
		}

		record Settled(Outcome outcome, Instant at) implements Evidence {
		}

	}

	/**
	 * @return the journal's evidence by account, or an empty map when the journal was written in another boot
	 * of the machine (its last entries may never have reached the disk) or is not a journal
	 */
	static Map<String, Evidence> read(Path file, String bootId) throws IOException {
		String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		int end = text.lastIndexOf('\n');
		if (end < 0) {
			return Map.of();
		}
		// an entry the process died writing has no newline yet: it never happened
		String[] lines = text.substring(0, end).split("\n", -1);
		if (bootId == null || !lines[0].equals(header(bootId))) {
			return Map.of();
		}
		Map<String, Evidence> evidence = new HashMap<>();
		for (int i = 1; i < lines.length; i++) {
			String[] fields = lines[i].split("\t", -1);
			try {
				String accountId = unescape(fields[1]);
				switch (fields[0]) {
					case "C" -> evidence.put(accountId, new Evidence.Unsent());
					case "S" -> evidence.put(accountId, new Evidence.InFlight());
					case "D" -> evidence.put(accountId, settled(accountId, fields));
					default -> throw new IllegalArgumentException("unknown entry " + fields[0]);
				}
			}
			catch (RuntimeException ex) {
				// a damaged file tells nothing reliable: the caller holds the sender's rows IN_DOUBT instead
				throw new IOException("Unreadable delivery journal entry " + i + " in " + file, ex);
			}
		}
		return evidence;
	}

	private static Evidence settled(String accountId, String[] fields) {
		Instant next = fields[4].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(fields[4]));
		String reason = fields[5].equals("-") ? null : unescape(fields[5].substring(1));
		return new Evidence.Settled(new Outcome(accountId, OutboxStatus.valueOf(fields[2]), reason, next),
				Instant.ofEpochMilli(Long.parseLong(fields[3])));
	}

	static String escape(String text) {
		StringBuilder out = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String replacement = switch (c) {
				case '\\' -> "\\\\";
				case '\t' -> "\\t";
				case '\n' -> "\\n";
				case '\r' -> "\\r";
				default -> null;
			};
			if (replacement != null && out == null) {
				out = new StringBuilder(text.length() + 8).append(text, 0, i);
			}
			if (out != null) {
				if (replacement != null) {
					out.append(replacement);
				}
				else {
					out.append(c);
				}
			}
		}
		return out == null ? text : out.toString();
	}

	static String unescape(String text) {
		if (text.indexOf('\\') < 0) {
			return text;
		}
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c != '\\' || i + 1 == text.length()) {
				out.append(c);
				continue;
			}
			char next = text.charAt(++i);
			out.append(switch (next) {
				case 't' -> '\t';
				case 'n' -> '\n';
				case 'r' -> '\r';
				default -> next;
			});
		}
		return out.toString();
	}

}
