package io.makegood.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code makegood <command> [arguments] [--option[=value]] [--spring.*=... | --makegood.*=... | --server.*=...]}.
 * Options in a Spring namespace configure the application; the rest belong to the command.
 */
public record CommandLine(String command, List<String> arguments, Map<String, String> options, List<String> springArgs) {

	public static final Set<String> COMMANDS = Set.of("run", "status", "export-credits", "resolve", "deliver",
			"demo", "serve", "nightly", "revoke", "preview", "stop", "release-capped", "help");

	private static final List<String> SPRING_PREFIXES = List.of("--spring.", "--makegood.", "--server.",
			"--management.", "--logging.", "--debug");

	public static class UsageException extends RuntimeException {

		public UsageException(String message) {
			super(message);
		}

	}

	public static CommandLine parse(String... args) {
		if (args.length == 0) {
			return new CommandLine("help", List.of(), Map.of(), List.of());
		}
		String command = args[0];
		if (!COMMANDS.contains(command)) {
			throw new UsageException("Unknown command '" + command + "'");
		}
		List<String> arguments = new ArrayList<>();
		Map<String, String> options = new LinkedHashMap<>();
		List<String> springArgs = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			if (SPRING_PREFIXES.stream().anyMatch(arg::startsWith)) {
				springArgs.add(arg);
			}
			else if (arg.startsWith("--")) {
				int eq = arg.indexOf('=');
				if (eq > 0) {
					options.put(arg.substring(2, eq), arg.substring(eq + 1));
				}
				else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
					options.put(arg.substring(2), args[++i]);
				}
				else {
					options.put(arg.substring(2), "true");
				}
			}
			else {
				arguments.add(arg);
			}
		}
		return new CommandLine(command, List.copyOf(arguments), Map.copyOf(options), List.copyOf(springArgs));
	}

	public String argument(int index, String name) {
		if (arguments.size() <= index) {
			throw new UsageException(command + ": missing <" + name + ">");
		}
		return arguments.get(index);
	}

	public boolean isServer() {
		return command.equals("serve");
	}

	public static String usage() {
		return """
				Usage: makegood <command> [arguments] [options]

				Commands:
				  run <spec.yml>                 snapshot the audience, grant credits, send one message per account;
				                                 running it again resumes, and never sends or credits twice
				                                 [--approve <plan-hash>] approve the plan `preview` printed
				                                 [--test-to a@x,b@y [--test-count N]] send real renderings of the
				                                 first accounts only to these addresses, subject [TEST]; writes nothing
				  preview <spec.yml>             dry run: audience counts, rejects, breakdowns, credit totals, plan hash
				                                 and 5 sample messages (.eml/.html); writes and sends nothing [--out <dir>]
				  stop <incident-id>             stop a running send after its current chunk (any process); `run` resumes
				                                 [--no-wait] return at once instead of waiting for it to halt
				  release-capped                 send the messages the frequency cap held, once it allows (nightly)
				  status [<incident-id>]         state, messages by status, credits by currency (all incidents if omitted)
				  export-credits <incident-id>   billing CSV of applied and claimed credits [--out <file>]
				  resolve <incident-id> --resend | --mark-sent
				                                 settle messages held IN_DOUBT: send them again (same Message-ID)
				                                 or record that they arrived; recorded in the report
				  deliver <incident-id>          send what is queued for an incident (RETRY rows now due, resent
				                                 rows); safe to run from several processes at once
				  demo                           create demo accounts in the embedded database and run
				                                 jobs/examples/streaming-outage.yml against them
				  serve                          HTTP server: claim pages (/claim/<token>), /actuator/health, /actuator/prometheus
				  nightly                        expire unclaimed credits past their expiry, remind holders of credits
				                                 expiring soon (once), resume unsent messages of every incident, post
				                                 unbilled credits to the billing webhook; safe to run twice
				  revoke <incident-id>           revoke unclaimed credits granted by mistake [--account <id>]
				  help                           this text

				Configuration: ./config/application.yml, environment variables, or --spring.* / --makegood.* options.
				Exit codes: 0 done, 1 failed (run again to resume), 2 invalid input, 3 refused by the guard or for lack of
				approval (nothing written), 4 stopped (run again to resume), 5 already running elsewhere.
				""";
	}

}
