package io.makegood.delivery;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a peer on loopback receives while writes are held, once they are sent, and when they are dropped. */
class CoalescingSocketFactoryTest {

	@Test
	void heldWritesLeaveWithTheNextWrite() throws Exception {
		CoalescingSocketFactory factory = new CoalescingSocketFactory();
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket client = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
				Socket peer = server.accept()) {
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
		CoalescingSocketFactory factory = new CoalescingSocketFactory();
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket client = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
				Socket peer = server.accept()) {
			peer.setSoTimeout(2000);
			OutputStream out = client.getOutputStream();

			factory.hold();
			out.write(ascii("MAIL\r\n"));
			factory.dropHeld();
			out.write(ascii("RSET\r\n"));

			assertThat(readAvailable(peer.getInputStream(), 6)).isEqualTo("RSET\r\n");
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
