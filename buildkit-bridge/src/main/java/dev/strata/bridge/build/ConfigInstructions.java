package dev.strata.bridge.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.bridge.oci.Healthcheck;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.dsl.instructions.Cmd;
import dev.strata.dsl.instructions.CommandLine;
import dev.strata.dsl.instructions.Entrypoint;
import dev.strata.dsl.instructions.Env;
import dev.strata.dsl.instructions.Expose;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.dsl.instructions.KeyValue;
import dev.strata.dsl.instructions.Label;
import dev.strata.dsl.instructions.Maintainer;
import dev.strata.dsl.instructions.Onbuild;
import dev.strata.dsl.instructions.Shell;
import dev.strata.dsl.instructions.StopSignal;
import dev.strata.dsl.instructions.User;
import dev.strata.dsl.instructions.Volume;
import dev.strata.dsl.instructions.Workdir;
import dev.strata.dsl.path.GoPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each configuration instruction does to the image config, as docker and buildah do it: ENV
 * replaces a variable in place or appends it, LABEL merges, EXPOSE adds {@code port/proto} (tcp
 * when unsaid), shell-form CMD/ENTRYPOINT go through the stage's SHELL, an ENTRYPOINT clears a CMD
 * inherited from the base, HEALTHCHECK NONE disables the base's check, WORKDIR is relative to the
 * previous one.
 */
final class ConfigInstructions {
  static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private ConfigInstructions() {}

  /** Whether {@code instruction} only changes the config. WORKDIR may also make a directory. */
  static boolean isConfigOnly(Instruction instruction) {
    return instruction instanceof Env
        || instruction instanceof Label
        || instruction instanceof User
        || instruction instanceof Workdir
        || instruction instanceof Expose
        || instruction instanceof Volume
        || instruction instanceof Entrypoint
        || instruction instanceof Cmd
        || instruction instanceof dev.strata.dsl.instructions.Healthcheck
        || instruction instanceof StopSignal
        || instruction instanceof Shell
        || instruction instanceof Onbuild
        || instruction instanceof Maintainer;
  }

  /**
   * The config after {@code instruction}; {@code cmdSetInStage} says whether this stage already set
   * CMD (an ENTRYPOINT then keeps it).
   */
  static ImageConfig apply(ImageConfig config, Instruction instruction, boolean cmdSetInStage) {
    if (instruction instanceof Env env) {
      List<String> vars = strings(config, "Env");
      for (KeyValue kv : env.pairs()) {
        String prefix = kv.key() + "=";
        String entry = prefix + kv.value();
        boolean replaced = false;
        for (int i = 0; i < vars.size(); i++) {
          if (vars.get(i).startsWith(prefix) || vars.get(i).equals(kv.key())) {
            vars.set(i, entry);
            replaced = true;
          }
        }
        if (!replaced) {
          vars.add(entry);
        }
      }
      return config.withEnv(vars);
    }
    if (instruction instanceof Label label) {
      Map<String, String> labels = new LinkedHashMap<>();
      config
          .configField("Labels")
          .ifPresent(
              n -> n.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText())));
      label.pairs().forEach(kv -> labels.put(kv.key(), kv.value()));
      return config.withLabels(labels);
    }
    if (instruction instanceof User user) {
      return config.withUser(user.user());
    }
    if (instruction instanceof Workdir workdir) {
      return config.withWorkingDir(workingDir(config, workdir.path()));
    }
    if (instruction instanceof Expose expose) {
      Set<String> ports = new LinkedHashSet<>(keys(config, "ExposedPorts"));
      for (String port : expose.ports()) {
        ports.addAll(ports(port));
      }
      return config.withExposedPorts(ports);
    }
    if (instruction instanceof Volume volume) {
      Set<String> volumes = new LinkedHashSet<>(keys(config, "Volumes"));
      volumes.addAll(volume.volumes());
      return config.withVolumes(volumes);
    }
    if (instruction instanceof Entrypoint entrypoint) {
      ImageConfig changed = config.withEntrypoint(command(config, entrypoint.command()));
      return cmdSetInStage
          ? changed
          : changed.withConfigField("Cmd", JsonNodeFactory.instance.nullNode());
    }
    if (instruction instanceof Cmd cmd) {
      return config.withCmd(command(config, cmd.command()));
    }
    if (instruction instanceof dev.strata.dsl.instructions.Healthcheck check) {
      if (check.isNone()) {
        return config.withHealthcheck(new Healthcheck(List.of("NONE"), null, null, null, null, 0));
      }
      return config.withHealthcheck(
          new Healthcheck(
              check.test(),
              unsetIfZero(check.interval()),
              unsetIfZero(check.timeout()),
              unsetIfZero(check.startPeriod()),
              unsetIfZero(check.startInterval()),
              check.retries()));
    }
    if (instruction instanceof StopSignal signal) {
      return config.withStopSignal(signal.signal());
    }
    if (instruction instanceof Shell shell) {
      return config.withShell(shell.shell());
    }
    if (instruction instanceof Onbuild onbuild) {
      List<String> triggers = strings(config, "OnBuild");
      triggers.add(onbuild.expression());
      return config.withOnBuild(triggers);
    }
    if (instruction instanceof Maintainer maintainer) {
      return config.withAuthor(maintainer.maintainer());
    }
    throw new IllegalArgumentException("not a configuration instruction: " + instruction.name());
  }

  /** The config with docker's default PATH added when its Env has none (buildah and BuildKit). */
  static ImageConfig withDefaultPath(ImageConfig config) {
    List<String> env = strings(config, "Env");
    if (env.stream().anyMatch(e -> e.startsWith("PATH="))) {
      return config;
    }
    env.add(0, "PATH=" + DEFAULT_PATH);
    return config.withEnv(env);
  }

  /** The WORKDIR after {@code path}: absolute, or relative to the previous one; cleaned. */
  static String workingDir(ImageConfig config, String path) {
    String current =
        config
            .configField("WorkingDir")
            .map(JsonNode::asText)
            .filter(s -> !s.isEmpty())
            .orElse("/");
    return GoPath.clean(path.startsWith("/") ? path : current + "/" + path);
  }

  /** The stage's SHELL, or {@code /bin/sh -c}. */
  static List<String> shell(ImageConfig config) {
    List<String> shell = strings(config, "Shell");
    return shell.isEmpty() ? DEFAULT_SHELL : shell;
  }

  private static List<String> command(ImageConfig config, CommandLine line) {
    if (!line.prependShell()) {
      return line.args();
    }
    List<String> out = new ArrayList<>(shell(config));
    out.add(line.text());
    return out;
  }

  private static List<String> ports(String port) {
    String proto = "tcp";
    String number = port;
    int slash = port.indexOf('/');
    if (slash >= 0) {
      proto = port.substring(slash + 1).toLowerCase(Locale.ROOT);
      number = port.substring(0, slash);
    }
    int dash = number.indexOf('-');
    if (dash > 0) {
      try {
        int from = Integer.parseInt(number.substring(0, dash));
        int to = Integer.parseInt(number.substring(dash + 1));
        List<String> out = new ArrayList<>();
        for (int p = from; p <= to; p++) {
          out.add(p + "/" + proto);
        }
        return out;
      } catch (NumberFormatException e) {
        return List.of(port);
      }
    }
    return List.of(number + "/" + proto);
  }

  static List<String> strings(ImageConfig config, String field) {
    List<String> out = new ArrayList<>();
    Optional<JsonNode> node = config.configField(field);
    node.ifPresent(n -> n.forEach(v -> out.add(v.asText())));
    return out;
  }

  private static List<String> keys(ImageConfig config, String field) {
    List<String> out = new ArrayList<>();
    config.configField(field).ifPresent(n -> n.fieldNames().forEachRemaining(out::add));
    return out;
  }

  private static Duration unsetIfZero(Duration d) {
    return d == null || d.isZero() ? null : d;
  }
}
