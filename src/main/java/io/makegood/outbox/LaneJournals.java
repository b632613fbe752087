package io.makegood.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.makegood.outbox.LaneJournal.Evidence;

/**
 * The directory of this machine's delivery journals, one file per lane of each sender. Only a sender that ran
 * on this machine, in this boot, can be recovered from them; any other sender's claimed rows stay IN_DOUBT.
 */
public final class LaneJournals {

	private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

	private final Path directory;

	private final String bootId;

	LaneJournals(Path directory, String bootId) {
		this.directory = directory;
		this.bootId = bootId;
	}

	/** Journals under the directory, usable where the kernel tells its boot id (Linux). */
	public static LaneJournals in(Path directory) {
		return new LaneJournals(directory, currentBootId());
	}

	/** No journals: after a crash every row a lane had claimed is held IN_DOUBT. */
	public static LaneJournals none() {
		return new LaneJournals(null, null);
	}

	private static String currentBootId() {
		try {
			return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	public boolean enabled() {
		return directory != null && bootId != null;
	}

	LaneJournal open(long senderId, int lane) {
		return enabled() ? LaneJournal.open(directory.resolve(name(senderId, lane)), bootId) : LaneJournal.none();
	}

	/** What the journals of a dead sender of this machine say; lanes never share an account. */
	public Map<String, Evidence> evidenceOf(long senderId) {
		Map<String, Evidence> evidence = new HashMap<>();
		if (!enabled() || !Files.isDirectory(directory)) {
			return evidence;
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix(senderId) + "*.journal")) {
			for (Path file : files) {
				try {
					evidence.putAll(LaneJournal.read(file, bootId));
				}
				catch (NoSuchFileException ex) {
					// forgotten meanwhile by another process reaping the same sender, which has settled its rows
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the delivery journals of sender " + senderId + " in "
					+ directory + ": " + ex, ex);
		}
		return evidence;
	}

	/** Deletes a dead sender's journals once the database holds what they said. */
	void forget(long senderId) {
		if (!enabled() || !Files.isDirectory(directory)) {
			return;
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix(senderId) + "*.journal")) {
			for (Path file : files) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete the delivery journals of sender " + senderId, ex);
		}
	}

	private static String name(long senderId, int lane) {
		return prefix(senderId) + lane + ".journal";
	}

	private static String prefix(long senderId) {
		return "sender-" + senderId + "-lane-";
	}

}
