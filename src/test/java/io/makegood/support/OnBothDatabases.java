package io.makegood.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * Runs a test once on each supported database, given to it as its {@link MigratedDatabase} parameter. The two
 * databases are migrated once per test class and shared by its tests, which keep apart by using their own ids.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest
@ArgumentsSource(OnBothDatabases.Databases.class)
public @interface OnBothDatabases {

	/** The test class's pair of databases, made by its first test. */
	final class Databases implements ArgumentsProvider {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Databases.class);

		@Override
		@SuppressWarnings("unchecked")
		public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters,
				ExtensionContext context) {
			ExtensionContext testClass = context.getParent().orElse(context);
			List<MigratedDatabase> databases = testClass.getStore(NAMESPACE)
				.computeIfAbsent("databases", key -> MigratedDatabase.both(), List.class);
			return databases.stream().map(Arguments::of);
		}

	}

}
