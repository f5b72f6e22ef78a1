package dev.strata.graph;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.SourcePosition;
import dev.strata.dsl.eval.Dependency;
import dev.strata.dsl.eval.EvaluationOptions;
import dev.strata.dsl.eval.Evaluator;
import dev.strata.dsl.eval.ResolvedContainerfile;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.eval.StageReference;
import dev.strata.dsl.instructions.Containerfile;
import dev.strata.dsl.instructions.Copy;
import dev.strata.dsl.instructions.InstructionParser;
import dev.strata.dsl.syntax.SyntaxParser;
import dev.strata.graph.project.ImageConfig;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.graph.DirectedAcyclicGraph;

/**
 * Builds the {@link DerivationGraph} of a project: evaluates each node's Containerfile with its
 * build args, resolves every image reference its needed stages use (FROM, {@code COPY --from},
 * {@code RUN --mount=from}) to the node that produces it, by normalised name, registry-qualified
 * name or alias, and rejects ambiguous matches and cycles.
 */
public final class GraphBuilder {
  private final ProjectConfig project;
  private final Map<String, String> buildArgOverrides;

  private GraphBuilder(ProjectConfig project, Map<String, String> buildArgOverrides) {
    this.project = project;
    this.buildArgOverrides = buildArgOverrides;
  }

  /** The graph of {@code project}, each node evaluated with its own args then the overrides. */
  public static DerivationGraph build(ProjectConfig project, Map<String, String> buildArgOverrides)
      throws IOException {
    return new GraphBuilder(project, buildArgOverrides).build();
  }

  /** The graph of {@code project} with the build args strata.yaml gives. */
  public static DerivationGraph build(ProjectConfig project) throws IOException {
    return build(project, Map.of());
  }

  private DerivationGraph build() throws IOException {
    Map<String, ResolvedContainerfile> files = new LinkedHashMap<>();
    for (ImageConfig image : project.images().values()) {
      files.put(image.name(), evaluate(image));
    }
    Map<String, Set<String>> index = nameIndex();
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    for (ImageConfig image : project.images().values()) {
      nodes.put(image.name(), node(image, files.get(image.name()), index, edges));
    }
    DirectedAcyclicGraph<String, Edge> dag = new DirectedAcyclicGraph<>(null, null, false, true);
    nodes.keySet().forEach(dag::addVertex);
    Optional<List<Edge>> cycle = CycleFinder.find(nodes.keySet(), edges);
    if (cycle.isPresent()) {
      throw cycleError(cycle.get());
    }
    edges.forEach(e -> dag.addEdge(e.parent(), e.child(), e));
    Map<String, Integer> waves = new HashMap<>();
    for (String name : nodes.keySet()) {
      wave(name, dag, waves);
    }
    List<String> declared = new ArrayList<>(nodes.keySet());
    Map<String, Node> ordered = new LinkedHashMap<>();
    declared.stream()
        .sorted(
            Comparator.comparingInt((String n) -> waves.get(n)).thenComparingInt(declared::indexOf))
        .forEach(n -> ordered.put(n, nodes.get(n)));
    return new DerivationGraph(project, ordered, dag, waves);
  }

  private ResolvedContainerfile evaluate(ImageConfig image) throws IOException {
    String display = ProjectLoader.display(image.containerfile());
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(image.containerfile());
    } catch (NoSuchFileException e) {
      throw new GraphException(
          "image '"
              + image.name()
              + "': no Containerfile at "
              + display
              + " (check containerfile:)",
          image.declaredAt(),
          null);
    }
    Containerfile parsed = InstructionParser.parse(SyntaxParser.parse(bytes, display));
    Map<String, String> args = new LinkedHashMap<>(image.args());
    args.putAll(buildArgOverrides);
    return Evaluator.evaluate(parsed, EvaluationOptions.withBuildArgs(args));
  }

  /** Every name a node answers to, normalised with each tag, mapped to the nodes using it. */
  private Map<String, Set<String>> nameIndex() {
    Map<String, Set<String>> index = new HashMap<>();
    for (ImageConfig image : project.images().values()) {
      List<String> names = new ArrayList<>();
      names.add(image.image());
      project.registry().ifPresent(r -> names.add(r + "/" + image.image()));
      names.addAll(image.aliases());
      for (String name : names) {
        Optional<ImageName> parsed = ImageName.parse(name);
        if (parsed.isEmpty()) {
          continue;
        }
        boolean explicitTag = name.substring(name.lastIndexOf('/') + 1).contains(":");
        List<String> tags = explicitTag ? List.of(parsed.get().tag().orElseThrow()) : image.tags();
        for (String tag : tags) {
          index
              .computeIfAbsent(parsed.get().withTag(tag).canonical(), k -> new LinkedHashSet<>())
              .add(image.name());
        }
      }
    }
    return index;
  }

  private Node node(
      ImageConfig image,
      ResolvedContainerfile file,
      Map<String, Set<String>> index,
      List<Edge> edges) {
    int target = targetStage(image, file);
    TreeSet<Integer> needed = new TreeSet<>();
    collectStages(file, target, needed);
    Map<String, String> nodeReferences = new LinkedHashMap<>();
    for (int i : needed) {
      ResolvedStage stage = file.stages().get(i);
      if (stage.base() instanceof StageReference.ImageRef ref) {
        SourcePosition at = stage.stage().location().start();
        resolve(image, ref.reference(), at, stage.stage().location().original(), index)
            .ifPresent(
                parent -> {
                  nodeReferences.put(ref.reference(), parent);
                  edges.add(new Edge(parent, image.name(), EdgeKind.FROM, ref.reference(), at));
                });
      }
      for (Dependency dependency : stage.dependencies()) {
        if (dependency.source() instanceof StageReference.ImageRef ref) {
          SourcePosition at = dependency.instruction().location().start();
          EdgeKind kind =
              dependency.instruction() instanceof Copy ? EdgeKind.COPY_FROM : EdgeKind.MOUNT_FROM;
          resolve(image, ref.reference(), at, dependency.instruction().location().original(), index)
              .ifPresent(
                  parent -> {
                    nodeReferences.put(ref.reference(), parent);
                    edges.add(new Edge(parent, image.name(), kind, ref.reference(), at));
                  });
        }
      }
    }
    // Where the target's FROM chain starts.
    ResolvedStage root = file.stages().get(target);
    while (root.base() instanceof StageReference.StageRef ref) {
      root = file.stages().get(ref.index());
    }
    Optional<String> parent = Optional.empty();
    Optional<String> external = Optional.empty();
    if (root.base() instanceof StageReference.ImageRef ref) {
      parent = Optional.ofNullable(nodeReferences.get(ref.reference()));
      if (parent.isEmpty()) {
        external =
            Optional.of(
                ImageName.parse(ref.reference()).map(ImageName::canonical).orElse(ref.reference()));
      }
    } else {
      external = Optional.of("scratch");
    }
    String reference = project.imageReference(image, image.tags().get(0));
    return new Node(
        image, reference, file, target, List.copyOf(needed), parent, external, nodeReferences);
  }

  private int targetStage(ImageConfig image, ResolvedContainerfile file) {
    if (image.target().isEmpty()) {
      return file.stages().size() - 1;
    }
    return file.stage(image.target().get())
        .map(ResolvedStage::index)
        .orElseThrow(
            () ->
                new GraphException(
                    "image '"
                        + image.name()
                        + "': target stage '"
                        + image.target().get()
                        + "' is not in "
                        + ProjectLoader.display(image.containerfile()),
                    image.declaredAt(),
                    null));
  }

  private static void collectStages(ResolvedContainerfile file, int index, Set<Integer> needed) {
    if (!needed.add(index)) {
      return;
    }
    ResolvedStage stage = file.stages().get(index);
    if (stage.base() instanceof StageReference.StageRef ref) {
      collectStages(file, ref.index(), needed);
    }
    for (Dependency dependency : stage.dependencies()) {
      if (dependency.source() instanceof StageReference.StageRef ref) {
        collectStages(file, ref.index(), needed);
      }
    }
  }

  private Optional<String> resolve(
      ImageConfig image,
      String reference,
      SourcePosition at,
      String sourceLine,
      Map<String, Set<String>> index) {
    Optional<ImageName> name = ImageName.parse(reference);
    if (name.isEmpty() || name.get().digest().isPresent()) {
      return Optional.empty();
    }
    Set<String> matches = index.getOrDefault(name.get().canonical(), Set.of());
    if (matches.size() > 1) {
      List<String> both = List.copyOf(matches);
      throw new GraphException(
          "'"
              + reference
              + "' is ambiguous: it names both node '"
              + both.get(0)
              + "' and node '"
              + both.get(1)
              + "' (give them different image names or aliases in strata.yaml)",
          at,
          firstLine(sourceLine));
    }
    return matches.stream().findFirst();
  }

  private static String firstLine(String text) {
    return text == null ? null : text.lines().findFirst().orElse(text);
  }

  private ContainerfileException cycleError(List<Edge> cycle) {
    StringBuilder path = new StringBuilder();
    for (Edge e : cycle) {
      path.append(e.parent()).append(" → ");
    }
    path.append(cycle.get(0).parent());
    StringBuilder text = new StringBuilder("cycle in the derivation graph: " + path);
    for (Edge e : cycle) {
      text.append("\n  ")
          .append(e.position().file())
          .append(':')
          .append(e.position().line())
          .append(": ")
          .append(e.child())
          .append(": ")
          .append(e.kind().instruction())
          .append(' ')
          .append(e.reference())
          .append("  (")
          .append(e.child())
          .append(" reads ")
          .append(e.parent())
          .append(')');
    }
    text.append("\n  (break the cycle: a node cannot derive from an image built from itself)");
    return new GraphException(text.toString(), cycle.get(0).position(), null);
  }

  private static int wave(
      String name, DirectedAcyclicGraph<String, Edge> dag, Map<String, Integer> waves) {
    Integer known = waves.get(name);
    if (known != null) {
      return known;
    }
    int wave = 1;
    for (Edge e : dag.incomingEdgesOf(name)) {
      wave = Math.max(wave, wave(e.parent(), dag, waves) + 1);
    }
    waves.put(name, wave);
    return wave;
  }
}
