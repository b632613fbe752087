package io.makegood.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a peer on loopback receives while writes are held, once they are sent, and when they are dropped; and the
 * sockets' own connect, read and write time limits.
 */
class CoalescingSocketFactoryTest {

	@Test
	void heldWritesLeaveWithTheNextWrite() throws Exception {
		CoalescingSocketFactory factory = new CoalescingSocketFactory(0);
		try (Loopback loopback = Loopback.connect(factory)) {
			Socket client = loopback.client();
			Socket peer = loopback.peer();
			peer.setSoTimeout(300);
			OutputStream out = client.getOutputStream();

			factory.hold();
			out.write(ascii("MAIL\r\n"));
			out.flush();
			out.write(ascii("RCPT\r\n"));
			out.flush();
			assertThatThrownBy(() -> peer.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

			factory.sendHeld();
			out.write(ascii("DATA\r\n"));
			assertThat(readAvailable(peer.getInputStream(), 18)).isEqualTo("MAIL\r\nRCPT\r\nDATA\r\n");
		}
	}

	@Test
	void droppedWritesAreNeverSent() throws Exception {
		CoalescingSocketFactory factory = new CoalescingSocketFactory(0);
		try (Loopback loopback = Loopback.connect(factory)) {
			Socket client = loopback.client();
			Socket peer = loopback.peer();
			peer.setSoTimeout(2000);
			OutputStream out = client.getOutputStream();

			factory.hold();
			out.write(ascii("MAIL\r\n"));
			factory.dropHeld();
			out.write(ascii("RSET\r\n"));

			assertThat(readAvailable(peer.getInputStream(), 6)).isEqualTo("RSET\r\n");
		}
	}

	@Test
	void aReadPastItsTimeLimitEndsAsTheJdksOwnTimeoutWould() throws Exception {
		CoalescingSocketFactory factory = new CoalescingSocketFactory(0);
		try (Loopback loopback = Loopback.connect(factory)) {
			Socket client = loopback.client();
			Socket peer = loopback.peer();
			client.setSoTimeout(300);
			assertThat(client.getSoTimeout()).isEqualTo(300);
			peer.getOutputStream().write(ascii("220 ready\r\n"));
			assertThat(readAvailable(client.getInputStream(), 11)).isEqualTo("220 ready\r\n");

			long started = System.nanoTime();
			assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class)
				.hasMessage("Read timed out");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300),
					Duration.ofMillis(300 + 20 * SocketDeadlines.TICK_MS));
			assertThat(client.isClosed()).isTrue();
		}
	}

	@Test
	void aWriteThePeerNeverTakesEndsAfterTheWriteTimeLimit() throws Exception {
		CoalescingSocketFactory factory = new CoalescingSocketFactory(400);
		try (Loopback loopback = Loopback.connect(factory)) {
			Socket client = loopback.client();
			OutputStream out = client.getOutputStream();
			byte[] block = new byte[64 * 1024];
			long started = System.nanoTime();
			// the peer never reads: once both socket buffers are full, a write waits until its limit ends it
			assertThatThrownBy(() -> {
				for (int i = 0; i < 100_000; i++) {
					out.write(block);
				}
			}).isInstanceOf(SocketTimeoutException.class).hasMessage("Write timed out");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
			assertThat(client.isClosed()).isTrue();
		}
	}

	@Test
	void aConnectPastItsTimeLimitEndsAsTheJdksOwnTimeoutWould() throws Exception {
		CoalescingSocketFactory factory = new CoalescingSocketFactory(0);
		List<Socket> queued = new ArrayList<>();
		// a listener that never accepts: once its queue is full, the kernel leaves further connects unanswered
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
			boolean full = false;
			for (int i = 0; i < 16 && !full; i++) {
				Socket filler = new Socket();
				queued.add(filler);
				try {
					filler.connect(address, 200);
				}
				catch (SocketTimeoutException ex) {
					full = true;
				}
			}
			assumeTrue(full, "this kernel answered every connect, so no connect can be made to wait");

			Socket client = factory.createSocket();
			queued.add(client);
			long started = System.nanoTime();
			assertThatThrownBy(() -> client.connect(address, 300)).isInstanceOf(SocketTimeoutException.class)
				.hasMessage("Connect timed out");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300),
					Duration.ofMillis(300 + 20 * SocketDeadlines.TICK_MS));
		}
		finally {
			for (Socket socket : queued) {
				socket.close();
			}
		}
	}

	@Test
	void aReadWithinItsTimeLimitIsNotCutShort() throws Exception {
		CoalescingSocketFactory factory = new CoalescingSocketFactory(400);
		try (Loopback loopback = Loopback.connect(factory)) {
			Socket client = loopback.client();
			Socket peer = loopback.peer();
			client.setSoTimeout(2000);
			Thread answer = new Thread(() -> {
				try {
					Thread.sleep(600);
					peer.getOutputStream().write(ascii("250 ok\r\n"));
				}
				catch (Exception ex) {
					// the read below then times out and the test fails there
				}
			});
			answer.start();
			assertThat(readAvailable(client.getInputStream(), 8)).isEqualTo("250 ok\r\n");
			assertThat(client.isClosed()).isFalse();
		}
	}

	/** A socket of the factory's, connected to a peer on loopback that the test plays. */
	private record Loopback(ServerSocket server, Socket client, Socket peer) implements AutoCloseable {

		static Loopback connect(CoalescingSocketFactory factory) throws IOException {
			ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
			Socket client = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
			return new Loopback(server, client, server.accept());
		}

		@Override
		public void close() throws IOException {
			try (ServerSocket closingServer = this.server; Socket closingClient = this.client;
					Socket closingPeer = this.peer) {
				// all three close, the last opened first
			}
		}

	}

	private static String readAvailable(InputStream in, int length) throws Exception {
		byte[] bytes = in.readNBytes(length);
		return new String(bytes, StandardCharsets.US_ASCII);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
