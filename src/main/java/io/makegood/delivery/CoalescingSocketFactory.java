package io.makegood.delivery;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

import javax.net.SocketFactory;

/**
 * Plain sockets for one SMTP session whose writes can be held back and sent together with the next write. The
 * provider writes and flushes every command by itself, so a pipelined MAIL, RCPT and DATA would leave as three
 * TCP segments, each waking the server; held, they leave as one. Installed as the provider's
 * {@code mail.smtp.socketFactory}, it sits below STARTTLS, so the held bytes are sent on a TLS connection as the
 * records TLS made of them.
 * <p>
 * Its sockets keep their own connect, read and write time limits ({@link SocketDeadlines}) and stay in blocking
 * mode: the read timeout the provider sets ({@code mail.smtp.timeout}) is kept by the socket instead of the JDK,
 * and the write timeout is given here instead of to the provider ({@code mail.smtp.writetimeout}).
 * <p>
 * One session, one thread: not thread-safe.
 */
final class CoalescingSocketFactory extends SocketFactory {

	private final long writeTimeoutMs;

	private HoldingOutputStream current;

	private boolean holding;

	/** @param writeTimeoutMs how long one write may wait for the server to take the bytes; zero or less: forever */
	CoalescingSocketFactory(long writeTimeoutMs) {
		this.writeTimeoutMs = writeTimeoutMs;
	}

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

		private final SocketDeadlines.Deadline connecting = new SocketDeadlines.Deadline(this, "Connect timed out");

		private final SocketDeadlines.Deadline reading = new SocketDeadlines.Deadline(this, "Read timed out");

		private final SocketDeadlines.Deadline writing = new SocketDeadlines.Deadline(this, "Write timed out");

		private volatile int readTimeoutMs;

		private InputStream input;

		private HoldingOutputStream output;

		@Override
		public void connect(SocketAddress endpoint, int timeout) throws IOException {
			if (timeout < 0) {
				throw new IllegalArgumentException("connect: timeout can't be negative");
			}
			this.connecting.start(timeout);
			try {
				super.connect(endpoint, 0);
			}
			catch (IOException ex) {
				throw this.connecting.explain(ex);
			}
			finally {
				this.connecting.stop();
			}
		}

		/** Kept by the socket, not passed to the JDK, which would make the socket non-blocking for good. */
		@Override
		public void setSoTimeout(int timeout) throws SocketException {
			if (timeout < 0) {
				throw new IllegalArgumentException("timeout can't be negative");
			}
			if (isClosed()) {
				throw new SocketException("Socket is closed");
			}
			this.readTimeoutMs = timeout;
		}

		@Override
		public int getSoTimeout() {
			return this.readTimeoutMs;
		}

		@Override
		public synchronized InputStream getInputStream() throws IOException {
			if (this.input == null) {
				this.input = new TimedInputStream(super.getInputStream(), this);
			}
			return this.input;
		}

		@Override
		public synchronized OutputStream getOutputStream() throws IOException {
			if (this.output == null) {
				this.output = new HoldingOutputStream(super.getOutputStream(), this.writing);
				CoalescingSocketFactory.this.current = this.output;
			}
			return this.output;
		}

		@Override
		public synchronized void close() throws IOException {
			try {
				super.close();
			}
			finally {
				this.connecting.forget();
				this.reading.forget();
				this.writing.forget();
			}
		}

	}

	private static final class TimedInputStream extends FilterInputStream {

		private final HoldingSocket socket;

		TimedInputStream(InputStream in, HoldingSocket socket) {
			super(in);
			this.socket = socket;
		}

		@Override
		public int read() throws IOException {
			this.socket.reading.start(this.socket.readTimeoutMs);
			try {
				return this.in.read();
			}
			catch (IOException ex) {
				throw this.socket.reading.explain(ex);
			}
			finally {
				this.socket.reading.stop();
			}
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			this.socket.reading.start(this.socket.readTimeoutMs);
			try {
				return this.in.read(bytes, offset, length);
			}
			catch (IOException ex) {
				throw this.socket.reading.explain(ex);
			}
			finally {
				this.socket.reading.stop();
			}
		}

	}

	private final class HoldingOutputStream extends FilterOutputStream {

		private final ByteArrayOutputStream held = new ByteArrayOutputStream(256);

		private final SocketDeadlines.Deadline writing;

		HoldingOutputStream(OutputStream out, SocketDeadlines.Deadline writing) {
			super(out);
			this.writing = writing;
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
			this.writing.start(CoalescingSocketFactory.this.writeTimeoutMs);
			try {
				if (this.held.size() == 0) {
					this.out.write(bytes, offset, length);
					return;
				}
				this.held.write(bytes, offset, length);
				this.held.writeTo(this.out);
			}
			catch (IOException ex) {
				throw this.writing.explain(ex);
			}
			finally {
				this.held.reset();
				this.writing.stop();
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
