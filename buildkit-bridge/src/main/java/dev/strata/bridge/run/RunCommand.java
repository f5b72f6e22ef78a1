package dev.strata.bridge.run;

import dev.strata.dsl.instructions.InlineFile;
import dev.strata.dsl.instructions.Run;
import dev.strata.dsl.syntax.HeredocMarkers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process a RUN starts: its argv, and the inline scripts mounted read-only at {@code
 * /dev/pipes/NAME} (a here-document starting with {@code #!}, executed so its shebang picks the
 * interpreter), built from a RUN instruction the way BuildKit's {@code dispatchRun} does.
 */
public record RunCommand(List<String> argv, Map<String, String> pipes) {
  /** Where inline scripts appear in the sandbox, as in BuildKit and buildah. */
  public static final String PIPES_DIR = "/dev/pipes";

  public RunCommand {
    argv = List.copyOf(argv);
    pipes = Map.copyOf(pipes);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a RUN needs a command; the argv is empty");
    }
    for (String name : pipes.keySet()) {
      if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException("here-document name '" + name + "' is not a file name");
      }
    }
  }

  /** An exec-form command, run as given. */
  public static RunCommand exec(List<String> argv) {
    return new RunCommand(argv, Map.of());
  }

  /**
   * The command of {@code run}: shell form prefixed with {@code shell} (the stage's SHELL, e.g.
   * {@code [/bin/sh, -c]}), exec form as written; a RUN that is only a here-document runs its body
   * (a file under {@link #PIPES_DIR} when it starts with {@code #!}), other here-documents are put
   * back after the command line for the shell to read.
   */
  public static RunCommand of(Run run, List<String> shell) {
    List<String> args = new ArrayList<>(run.command().args());
    boolean prependShell = run.command().prependShell();
    Map<String, String> pipes = new LinkedHashMap<>();
    List<InlineFile> files = run.heredocs();
    if (!files.isEmpty()) {
      if (args.size() != 1 || !prependShell) {
        throw new IllegalArgumentException(
            "here-documents need a shell-form RUN with one command line, got " + args);
      }
      if (HeredocMarkers.mustParse(args.get(0)).isPresent()) {
        InlineFile file = files.get(0);
        String data = file.chomp() ? HeredocMarkers.chomp(file.data()) : file.data();
        if (file.data().startsWith("#!")) {
          pipes.put(file.name(), data);
          args = List.of(PIPES_DIR + "/" + file.name());
        } else {
          args = List.of(data);
        }
      } else {
        StringBuilder script = new StringBuilder(args.get(0));
        for (InlineFile file : files) {
          script.append('\n').append(file.data()).append(file.name());
        }
        args = List.of(script.toString());
      }
    }
    if (prependShell) {
      if (shell.isEmpty()) {
        throw new IllegalArgumentException("a shell-form RUN needs a SHELL; the SHELL is empty");
      }
      List<String> withShell = new ArrayList<>(shell);
      withShell.addAll(args);
      args = withShell;
    }
    return new RunCommand(args, pipes);
  }
}
