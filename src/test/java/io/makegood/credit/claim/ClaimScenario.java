package io.makegood.credit.claim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.makegood.MakegoodApplication;
import io.makegood.support.TestDatabases;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Test scaffolding for claim links: incidents on disk, a running claim server, links from real messages. */
final class ClaimScenario {

	static final Pattern LINK = Pattern.compile("https?://[^\\s\"<>]+/claim/([A-Za-z0-9_-]{43})");

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private ClaimScenario() {
	}

	/**
	 * Writes {@code <id>.yml} and its CSV audience under {@code dir}. Each account is {@code id,email}; names and
	 * fees are made up.
	 * @param compensation the compensation block's YAML lines, indented by two spaces
	 */
	static Path incident(Path dir, String id, String template, String compensation, String... accounts) {
		StringBuilder csv = new StringBuilder("account_id,email,name,plan,currency,monthly_fee,locale\n");
		for (String account : accounts) {
			String[] parts = account.split(",");
			csv.append(parts[0]).append(',').append(parts[1]).append(",Customer ").append(parts[0])
				.append(",standard,USD,15.00,en-US\n");
		}
		String spec = """
				id: %s
				title: Streaming unavailable on 28 November
				audience:
				  source: csv
				  file: %s.csv
				compensation:
				%s
				message:
				  template: %s
				  from: "Example Streaming <care@example.com>"
				  support-phone: "1-866-000-0000"
				""".formatted(id, id, indent(compensation), template);
		try {
			Files.createDirectories(dir);
			Files.writeString(dir.resolve(id + ".csv"), csv);
			Path file = dir.resolve(id + ".yml");
			Files.writeString(file, spec);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String indent(String block) {
		return String.join("\n", block.strip().lines().map(line -> "  " + line.strip()).toList());
	}

	static final String CLAIM_3_PERCENT_7_DAYS = """
			kind: percent-of-fee
			percent: 3
			apply: claim-link
			expires: P7D""";

	/** {@code makegood serve} on a free loopback port. */
	record Server(ConfigurableApplicationContext context, int port) implements AutoCloseable {

		String baseUrl() {
			return "http://127.0.0.1:" + port;
		}

		@Override
		public void close() {
			context.close();
		}

	}

	static Server serve(TestDatabases.Database database, String... options) {
		List<String> args = new ArrayList<>(List.of(database.springArgs()));
		args.add("--server.port=0");
		args.add("--server.address=127.0.0.1");
		args.addAll(List.of(options));
		SpringApplication application = new SpringApplication(MakegoodApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
		return new Server(context, ((WebServerApplicationContext) context).getWebServer().getPort());
	}

	/** The decoded text/plain part of a received message. */
	static String text(MimeMessage message) {
		try {
			return text((Object) message.getContent());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String text(Object content) throws Exception {
		if (content instanceof String text) {
			return text;
		}
		Multipart multipart = (Multipart) content;
		for (int i = 0; i < multipart.getCount(); i++) {
			BodyPart part = multipart.getBodyPart(i);
			if (part.isMimeType("text/plain")) {
				return (String) part.getContent();
			}
			if (part.getContent() instanceof Multipart nested) {
				String found = text(nested);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	/** The first claim link in the message's text. */
	static String link(MimeMessage message) {
		Matcher matcher = LINK.matcher(text(message));
		if (!matcher.find()) {
			throw new AssertionError("no claim link in:\n" + text(message));
		}
		return matcher.group();
	}

	static String tokenOf(String link) {
		Matcher matcher = LINK.matcher(link);
		if (!matcher.find()) {
			throw new AssertionError("not a claim link: " + link);
		}
		return matcher.group(1);
	}

	static MimeMessage messageTo(MimeMessage[] messages, String address) {
		try {
			for (MimeMessage message : messages) {
				if (message.getRecipients(Message.RecipientType.TO)[0].toString().contains(address)) {
					return message;
				}
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		throw new AssertionError("no message to " + address);
	}

	/** A browser-like HTTP client: keeps cookies, reads the page's CSRF token, posts the claim form. */
	static final class Visitor {

		private final HttpClient http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		private String csrf;

		HttpResponse<String> get(String url) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET().build());
			Matcher matcher = CSRF.matcher(response.body());
			if (matcher.find()) {
				csrf = matcher.group(1);
			}
			return response;
		}

		/** Posts the form with the CSRF token of the last page that had one. */
		HttpResponse<String> post(String url) {
			return post(url, csrf);
		}

		HttpResponse<String> post(String url, String csrfToken) {
			String form = csrfToken == null ? "" : "_csrf=" + URLEncoder.encode(csrfToken, StandardCharsets.UTF_8);
			return send(HttpRequest.newBuilder(URI.create(url))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build());
		}

		private HttpResponse<String> send(HttpRequest request) {
			try {
				return http.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
