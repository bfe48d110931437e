package io.sparkbackprop.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.PropertiesDefaultProvider;

/**
 * {@code COMMAND --config FILE}: a job file of {@code KEY = VALUE} lines (Java properties) whose keys are
 * the command's long option names without the dashes ({@code epochs = 40}, {@code learning-rate = 0.01},
 * {@code standardize = true}). The file supplies the defaults and the command line overrides it, which is
 * exactly picocli's default-value provider; this class only finds the file before picocli parses (the
 * defaults must be in place by then) and checks it, so that a misspelt key or a bad value is reported
 * with the file's name instead of being ignored or blamed on an option the user never typed.
 */
final class JobFile {
    static final String OPTION = "--config";
    /** Options a job file may not set: they concern how the program runs, not the job. */
    private static final Map<String, String> REFUSED = Map.of(
            "master", "the Spark master comes from submit.sh: pass --master there (or set spark.master in conf/spark-defaults.conf)",
            "config", "job files do not include other job files",
            "help", "not a job setting",
            "version", "not a job setting");

    private JobFile() {
    }

    /**
     * When {@code args} name a subcommand with {@code --config FILE}, installs FILE as that subcommand's
     * default values.
     *
     * @throws IllegalArgumentException when the file is missing, unreadable, or sets an unknown option or a bad value
     */
    static void install(CommandLine root, String... args) {
        CommandLine command = null;
        String file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--".equals(a)) break;
            if (command == null) {
                command = root.getSubcommands().get(a);
            } else if (OPTION.equals(a) && i + 1 < args.length) {
                file = args[++i];
            } else if (a.startsWith(OPTION + "=")) {
                file = a.substring(OPTION.length() + 1);
            }
        }
        if (command == null || file == null) return;
        command.setDefaultValueProvider(new PropertiesDefaultProvider(read(command, file)));
    }

    /** The file's settings, checked against the command's options. */
    static Properties read(CommandLine command, String file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(OPTION + " " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(OPTION + " " + file + ": cannot read it: " + e.getMessage());
        }
        Map<String, OptionSpec> options = new TreeMap<>();
        for (OptionSpec o : command.getCommandSpec().options()) {
            String key = o.longestName().replaceFirst("^-+", "");
            if (!REFUSED.containsKey(key)) options.put(key, o);
        }
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            String value = p.getProperty(key).trim();
            p.setProperty(key, value);
            if (REFUSED.containsKey(key)) throw new IllegalArgumentException(file + ": '" + key + "' cannot be set in a job file: " + REFUSED.get(key));
            OptionSpec option = options.get(key);
            if (option == null) {
                throw new IllegalArgumentException(file + ": unknown setting '" + key + "'; a job file sets " + command.getCommandName()
                        + "'s options by their long names: " + String.join(", ", options.keySet()));
            }
            check(command, file, key, value, option);
        }
        return p;
    }

    /** Parses the value with the option's own converter, on a throwaway instance of the command. */
    private static void check(CommandLine command, String file, String key, String value, OptionSpec option) {
        String where = file + ": " + key + " = " + value + ": ";
        if (option.arity().max() == 0) {
            // A flag: picocli takes "true"/"false" from the file, so nothing else may stand there.
            if (!Set.of("true", "false").contains(value)) throw new IllegalArgumentException(where + "must be true or false");
            return;
        }
        if (value.isEmpty()) throw new IllegalArgumentException(where + "has no value");
        try {
            new CommandLine(command.getCommandSpec().userObject().getClass()).parseArgs(option.longestName() + "=" + value);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
    }
}
