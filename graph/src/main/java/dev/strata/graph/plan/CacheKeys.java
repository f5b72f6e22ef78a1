package dev.strata.graph.plan;

import dev.strata.dsl.eval.Dependency;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.eval.StageReference;
import dev.strata.dsl.instructions.Add;
import dev.strata.dsl.instructions.Arg;
import dev.strata.dsl.instructions.ArgDeclaration;
import dev.strata.dsl.instructions.Copy;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.dsl.instructions.MountType;
import dev.strata.dsl.instructions.Run;
import dev.strata.dsl.instructions.RunMount;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.ImageName;
import dev.strata.graph.Node;
import dev.strata.graph.project.LayerCompression;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Computes cache keys as DESIGN.md "Key decisions" 3 defines them: key₀ is the identity of what a
 * stage starts from (an external base's pinned digest, a parent node's result key, an earlier
 * stage's last key, or scratch); each step's key is sha256 of the previous key, the instruction in
 * canonical form after ARG/ENV expansion, and its inputs: the context files a COPY/ADD or bind
 * mount selects (path, mode, uid:gid, content), {@code --from} image identities, and the values of
 * the build args an ARG declares. Secrets contribute their id only (it is part of the mount). Each
 * FROM's inputs also name the project's layer compression when it is not the default gzip.
 *
 * <p>A graph parent's identity is the identity of its built result ({@code result:} + the digest of
 * its config without provenance labels, which covers the diffID chain) when the {@link BuildState}
 * knows the result of the parent's current key, else the parent's final cache key. So a parent
 * whose key changed but whose rebuild gave the same image cuts the cascade off: its children keep
 * their keys.
 */
public final class CacheKeys {
  private static final String SCHEMA = "strata-cache/v1";

  /** The FROM input naming a layer compression other than gzip. */
  static final String COMPRESSION_INPUT = "layers:compression";

  private final DerivationGraph graph;
  private final Function<String, String> baseIdentity;
  private final BuildState results;
  private final Map<String, NodeKeys> keys = new LinkedHashMap<>();

  private CacheKeys(
      DerivationGraph graph, Function<String, String> baseIdentity, BuildState results) {
    this.graph = graph;
    this.baseIdentity = baseIdentity;
    this.results = results;
  }

  /**
   * The keys of every node, parents first. {@code baseIdentity} maps an external base (canonical
   * reference) to its identity, normally the digest pinned in strata.lock.
   */
  public static Map<String, NodeKeys> compute(
      DerivationGraph graph, Function<String, String> baseIdentity) {
    return compute(graph, baseIdentity, BuildState.NONE);
  }

  /**
   * The keys of every node, parents first, with each parent known to {@code results} identified by
   * its built image rather than its key (early cut-off).
   */
  public static Map<String, NodeKeys> compute(
      DerivationGraph graph, Function<String, String> baseIdentity, BuildState results) {
    CacheKeys calculator = new CacheKeys(graph, baseIdentity, results);
    for (Node node : graph.nodes()) {
      calculator.keys.put(node.name(), calculator.node(node));
    }
    return calculator.keys;
  }

  /**
   * The keys of {@code node} alone, as {@link #compute(DerivationGraph, Function, BuildState)}
   * gives them: the keys of the nodes it derives from are taken from {@code known} (computed
   * earlier in the same build, once each was planned) and only the missing ones are computed. A
   * build that plans each node as it starts so reads each node's context once, not once per node.
   */
  public static NodeKeys compute(
      DerivationGraph graph,
      Function<String, String> baseIdentity,
      BuildState results,
      Map<String, NodeKeys> known,
      String node) {
    CacheKeys calculator = new CacheKeys(graph, baseIdentity, results);
    calculator.keys.putAll(known);
    return calculator.withParents(graph.node(node).orElseThrow());
  }

  private NodeKeys withParents(Node node) {
    NodeKeys mine = keys.get(node.name());
    if (mine != null) {
      return mine;
    }
    for (String parent : node.nodeReferences().values()) {
      withParents(graph.node(parent).orElseThrow());
    }
    mine = node(node);
    keys.put(node.name(), mine);
    return mine;
  }

  private NodeKeys node(Node node) {
    ContextFiles context = new ContextFiles(node.config().context(), node.config().containerfile());
    Map<Integer, String> stageKeys = new HashMap<>();
    List<StepKey> steps = new ArrayList<>();
    String platform = "linux/amd64";
    LayerCompression compression = graph.project().compression();
    for (int index : node.stages()) {
      ResolvedStage stage = node.file().stages().get(index);
      String stageName = stage.stage().displayName();
      SortedMap<String, String> fromInputs = new TreeMap<>();
      reference(node, stage.base(), stageKeys, fromInputs);
      // zstd keys never meet gzip keys. Gzip, the default, adds nothing, so stores built before
      // the choice existed keep their cache.
      if (compression != LayerCompression.GZIP) {
        fromInputs.put(COMPRESSION_INPUT, compression.id());
      }
      String previous = SCHEMA + " " + platform;
      String fromCanonical =
          "from "
              + stage.baseName()
              + " platform="
              + stage.platform().map(Object::toString).orElse("");
      previous =
          add(
              steps,
              stageName,
              stage.stage().location().original(),
              fromCanonical,
              fromInputs,
              previous);
      List<Dependency> deps = stage.dependencies();
      for (int i = 0; i < stage.instructions().size(); i++) {
        Instruction instruction = stage.instructions().get(i);
        // ARG as declared (the evaluator writes resolved values into it; those are inputs).
        Instruction declared =
            instruction instanceof Arg ? stage.stage().instructions().get(i) : instruction;
        SortedMap<String, String> inputs = new TreeMap<>();
        List<StageReference> sources =
            deps.stream()
                .filter(d -> d.instruction().location().equals(instruction.location()))
                .map(Dependency::source)
                .toList();
        if (instruction instanceof Arg arg) {
          for (ArgDeclaration decl : arg.args()) {
            String value = stage.environment().get(decl.key());
            inputs.put("arg:" + decl.key(), value == null ? "<unset>" : value);
          }
        } else if (instruction instanceof Copy copy) {
          if (copy.from().isPresent()) {
            sources.forEach(s -> reference(node, s, stageKeys, inputs));
          } else {
            copy.sources().forEach(s -> files(context, s, inputs));
          }
        } else if (instruction instanceof Add add) {
          for (String source : add.sources()) {
            if (!source.contains("://") && !source.startsWith("git@")) {
              files(context, source, inputs);
            }
          }
        } else if (instruction instanceof Run run) {
          sources.forEach(s -> reference(node, s, stageKeys, inputs));
          for (RunMount mount : run.mounts()) {
            if (mount.type() == MountType.BIND && mount.from().isEmpty()) {
              files(context, mount.source(), inputs);
            }
          }
        }
        previous =
            add(
                steps,
                stageName,
                instruction.location().original(),
                canonical(declared),
                inputs,
                previous);
      }
      stageKeys.put(index, previous);
    }
    return new NodeKeys(node.name(), steps);
  }

  private static void files(ContextFiles context, String source, SortedMap<String, String> inputs) {
    context.select(source).forEach((path, digest) -> inputs.put("file:" + path, digest));
  }

  private void reference(
      Node node,
      StageReference reference,
      Map<Integer, String> stageKeys,
      SortedMap<String, String> inputs) {
    if (reference instanceof StageReference.StageRef stage) {
      inputs.put("stage:" + stage.name(), stageKeys.getOrDefault(stage.index(), ""));
    } else if (reference instanceof StageReference.ImageRef image) {
      String parent = node.nodeReferences().get(image.reference());
      if (parent != null) {
        String finalKey = keys.get(parent).finalKey();
        inputs.put(
            "parent:" + parent,
            results.resultOf(parent, finalKey).map(r -> "result:" + r).orElse(finalKey));
      } else {
        String canonical =
            ImageName.parse(image.reference()).map(ImageName::canonical).orElse(image.reference());
        inputs.put("base:" + canonical, baseIdentity.apply(canonical));
      }
    } else {
      inputs.put("base:scratch", "scratch");
    }
  }

  private static String add(
      List<StepKey> steps,
      String stage,
      String text,
      String canonical,
      SortedMap<String, String> inputs,
      String previous) {
    StringBuilder material = new StringBuilder(previous).append('\0').append(canonical);
    inputs.forEach((k, v) -> material.append('\0').append(k).append('=').append(v));
    String key = "sha256:" + sha256(material.toString());
    String shown = text.lines().findFirst().orElse("").strip();
    steps.add(new StepKey(steps.size() + 1, stage, shown, canonical, inputs, key));
    return key;
  }

  /**
   * The instruction after expansion, without its place in the file: its kind and every field of its
   * record except the location (and the unexpanded mount text a RUN keeps beside the mounts).
   */
  static String canonical(Instruction instruction) {
    StringBuilder out = new StringBuilder(instruction.name());
    for (RecordComponent component : instruction.getClass().getRecordComponents()) {
      String name = component.getName();
      if (name.equals("location") || name.equals("mountSpecs")) {
        continue;
      }
      try {
        out.append(' ')
            .append(name)
            .append('=')
            .append(component.getAccessor().invoke(instruction));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + name + " of " + instruction.name(), e);
      }
    }
    return out.toString();
  }

  private static String sha256(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
