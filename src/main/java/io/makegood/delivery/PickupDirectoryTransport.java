package io.makegood.delivery;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Writes each message as {@code <dir>/<incidentId>/<sha256(accountId)>.eml} for a local MTA, a review, or a dry
 * run. The file name depends only on incident and account, so writing a message twice leaves one file; the
 * account id is hashed because file listings travel further than databases.
 */
public final class PickupDirectoryTransport implements MailTransport {

	private final Path directory;

	public PickupDirectoryTransport(Path directory) {
		this.directory = Objects.requireNonNull(directory, "directory");
	}

	@Override
	public TransportSession openSession() {
		return new PickupSession();
	}

	/** Where the message for this account is (or will be) written. */
	public Path fileFor(String incidentId, String accountId) {
		return this.directory.resolve(safeDirectoryName(incidentId))
			.resolve(MessageIds.sha256Hex(accountId) + ".eml");
	}

	private static String safeDirectoryName(String incidentId) {
		String safe = incidentId.replaceAll("[^A-Za-z0-9._-]", "_");
		return (safe.isEmpty() || safe.startsWith(".")) ? "_" + safe : safe;
	}

	private final class PickupSession implements TransportSession {

		@Override
		public SendOutcome send(OutgoingMessage message) {
			Path target = fileFor(message.incidentId(), message.accountId());
			if (Files.exists(target)) {
				return SendOutcome.accepted("already in pickup directory");
			}
			Path temp = null;
			try {
				Files.createDirectories(target.getParent());
				temp = Files.createTempFile(target.getParent(), ".pickup-", ".tmp");
				Files.write(temp, message.content());
				move(temp, target);
				return SendOutcome.accepted("written to pickup directory");
			}
			catch (FileAlreadyExistsException ex) {
				return SendOutcome.accepted("already in pickup directory");
			}
			catch (IOException ex) {
				return SendOutcome.transientFailure("cannot write pickup file: " + ex.getClass().getSimpleName());
			}
			finally {
				deleteQuietly(temp);
			}
		}

		// readers of the directory must only ever see complete files
		private static void move(Path temp, Path target) throws IOException {
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temp, target);
			}
		}

		private static void deleteQuietly(Path temp) {
			if (temp == null) {
				return;
			}
			try {
				Files.deleteIfExists(temp);
			}
			catch (IOException ex) {
				// a stray temp file is harmless: its name never ends in .eml
			}
		}

		@Override
		public void close() {
		}

	}

}
