package io.makegood;

import java.time.Duration;

import io.makegood.ops.CommandLine;
import io.makegood.ops.Commands;
import io.makegood.ops.ExitCodes;
import io.makegood.ops.GracefulShutdown;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

@SpringBootApplication
public class MakegoodApplication {

	public static void main(String[] args) {
		CommandLine command;
		try {
			command = CommandLine.parse(args);
		}
		catch (CommandLine.UsageException ex) {
			System.err.println(ex.getMessage());
			System.err.print(CommandLine.usage());
			System.exit(ExitCodes.INVALID);
			return;
		}
		if (command.isServer()) {
			start(command);
			return;
		}
		// SIGTERM stops a running send between chunks and the process exits 4, like `makegood stop`; until the
		// settings are read (makegood.safety.stop-wait) the hook waits this long
		GracefulShutdown.install(Duration.ofMinutes(5));
		int code = ExitCodes.FAILED;
		try {
			code = execute(command);
		}
		catch (RuntimeException ex) {
			// the application could not start (an unreachable database, a bad setting), or a command failed in a
			// way it did not report itself: either way the operator gets the reason, not only an exit code
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
			System.err.println("makegood: the command failed: " + cause.getClass().getSimpleName() + ": "
					+ cause.getMessage());
		}
		finally {
			// without this the shutdown hook would wait its whole grace period for a command that never finishes
			GracefulShutdown.commandFinished(code);
		}
		System.exit(code);
	}

	/** Runs one command in a fresh application context and returns its exit code. */
	public static int execute(String... args) {
		try {
			return execute(CommandLine.parse(args));
		}
		catch (CommandLine.UsageException ex) {
			System.err.println(ex.getMessage());
			System.err.print(CommandLine.usage());
			return ExitCodes.INVALID;
		}
	}

	static int execute(CommandLine command) {
		if (command.command().equals("help")) {
			System.out.print(CommandLine.usage());
			return ExitCodes.DONE;
		}
		try (ConfigurableApplicationContext context = start(command)) {
			GracefulShutdown.waitUpTo(context.getBean(MakegoodProperties.class).safety().stopWait());
			return context.getBean(Commands.class).execute(command);
		}
	}

	static ConfigurableApplicationContext start(CommandLine command) {
		SpringApplication application = new SpringApplication(MakegoodApplication.class);
		application.setWebApplicationType(command.isServer() ? WebApplicationType.SERVLET : WebApplicationType.NONE);
		// A CLI command closes its own context when it is done; on SIGTERM, Boot's hook would close it (and the
		// database pool) under a running job. GracefulShutdown stops the job first instead.
		application.setRegisterShutdownHook(command.isServer());
		return application.run(command.springArgs().toArray(String[]::new));
	}

}
