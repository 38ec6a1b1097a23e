package dev.nvrc.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.core.api.Settings;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code check-cmdline 'LINE'} or {@code check-cmdline --file PATH}: a contract scripts rely on.
 * Valid: the effective configuration as one JSON object on stdout, exit 0. Invalid: every problem
 * on stderr, one per line, each starting with {@code nvrc: }, exit 2.
 */
final class CheckCmdlineCommand {
    /** Created on the first valid line only: data binding is slow to set up and a refusal needs none. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private CheckCmdlineCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        String line;
        if (args.size() == 1 && !args.get(0).equals("--file")) {
            line = args.get(0);
        } else if (args.size() == 2 && args.get(0).equals("--file")) {
            try {
                // Lenient decoding: a stray byte must become a reported problem, not a crash.
                line = new String(BoundedFile.read(Path.of(args.get(1)), BoundedFile.CONFIG_FILE), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("nvrc: cannot read " + args.get(1) + ": " + IoReason.of(e));
                return Cli.EXIT_INVALID;
            } catch (RuntimeException e) {
                err.println("nvrc: cannot read " + args.get(1) + ": " + e.getMessage());
                return Cli.EXIT_INVALID;
            }
        } else {
            err.println("nvrc: usage: check-cmdline 'LINE' | check-cmdline --file PATH");
            return Cli.EXIT_INVALID;
        }
        try {
            // A library user: the api's Settings are what the init parses (docs/library.md).
            Settings settings = Settings.parse(line);
            out.println(Json.MAPPER.writeValueAsString(settings.effectiveParameters()));
            return 0;
        } catch (NvrcException e) {
            for (String p : e.problems()) {
                err.println("nvrc: " + p);
            }
            return Cli.EXIT_INVALID;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings, numbers and booleans always serializes", e);
        }
    }
}
