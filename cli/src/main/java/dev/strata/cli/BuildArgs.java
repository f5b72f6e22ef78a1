package dev.strata.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** {@code --build-arg K=V} values, shared by the commands that evaluate Containerfiles. */
final class BuildArgs {
  @CommandLine.Option(
      names = "--build-arg",
      paramLabel = "K=V",
      description = "Set a build arg for every node (overrides args: in strata.yaml). Repeatable.")
  List<String> values = List.of();

  Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--build-arg needs K=V, got '" + value + "'");
      }
      map.put(value.substring(0, eq), value.substring(eq + 1));
    }
    return map;
  }
}
