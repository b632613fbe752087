package io.makegood.delivery;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Plain sockets for one SMTP session whose writes can be held back and sent together with the next write. The
 * provider writes and flushes every command by itself, so a pipelined MAIL, RCPT and DATA would leave as three
 * TCP segments, each waking the server; held, they leave as one. Installed as the provider's
 * {@code mail.smtp.socketFactory}, it sits below the provider's write timeout and below STARTTLS, so the held
 * bytes are sent inside a timed write and, on a TLS connection, as the records TLS made of them.
 * <p>
 * One session, one thread: not thread-safe.
 */
final class CoalescingSocketFactory extends SocketFactory {

	private HoldingOutputStream current;

	private boolean holding;

	/** Writes from now on are kept until {@link #sendHeld} and the next write. */
	void hold() {
		this.holding = true;
	}

	/** What was held leaves with the next write. */
	void sendHeld() {
		this.holding = false;
	}

	/** What was held is never sent: the commands it holds did not all make it into the pipeline. */
	void dropHeld() {
		this.holding = false;
		if (this.current != null) {
			this.current.drop();
		}
	}

	@Override
	public Socket createSocket() {
		return new HoldingSocket();
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		return connected(new InetSocketAddress(host, port));
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		return connected(new InetSocketAddress(host, port));
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
	}

	private Socket connected(InetSocketAddress remote, InetSocketAddress... local) throws IOException {
		Socket socket = new HoldingSocket();
		try {
			if (local.length > 0) {
				socket.bind(local[0]);
			}
			socket.connect(remote);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	private final class HoldingSocket extends Socket {

		private HoldingOutputStream output;

		@Override
		public synchronized OutputStream getOutputStream() throws IOException {
			if (this.output == null) {
				this.output = new HoldingOutputStream(super.getOutputStream());
				CoalescingSocketFactory.this.current = this.output;
			}
			return this.output;
		}

	}

	private final class HoldingOutputStream extends FilterOutputStream {

		private final ByteArrayOutputStream held = new ByteArrayOutputStream(256);

		HoldingOutputStream(OutputStream out) {
			super(out);
		}

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			if (CoalescingSocketFactory.this.holding) {
				this.held.write(bytes, offset, length);
				return;
			}
			if (this.held.size() == 0) {
				this.out.write(bytes, offset, length);
				return;
			}
			this.held.write(bytes, offset, length);
			try {
				this.held.writeTo(this.out);
			}
			finally {
				this.held.reset();
			}
		}

		@Override
		public void flush() throws IOException {
			if (!CoalescingSocketFactory.this.holding) {
				this.out.flush();
			}
		}

		void drop() {
			this.held.reset();
		}

	}

}
