package dev.strata.dsl.instructions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.eval.EvaluationOptions;
import dev.strata.dsl.eval.Evaluator;
import dev.strata.dsl.eval.Platform;
import dev.strata.dsl.eval.ResolvedContainerfile;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.eval.StageReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ARG scoping, stage resolution and per-instruction expansion, one rule a test. */
class EvaluationSpecificationTest {

  private static ResolvedStage only(String text) {
    return Dsl.evaluate(text).stages().get(0);
  }

  private static String reason(String text) {
    try {
      Dsl.evaluate(text);
    } catch (ContainerfileException e) {
      return e.reason();
    }
    throw new AssertionError("no error");
  }

  @Test
  void metaArgsExpandTheBaseNameInOrder() {
    ResolvedStage s = only("ARG REPO=docker.io\nARG IMG=${REPO}/alpine\nFROM $IMG:3\n");
    assertThat(s.baseName()).isEqualTo("docker.io/alpine:3");
    assertThat(s.base()).isEqualTo(new StageReference.ImageRef("docker.io/alpine:3"));
  }

  @Test
  void buildArgOverridesMetaArgDefault() {
    ResolvedContainerfile r = Dsl.evaluate("ARG V=1\nFROM alpine:$V\n", Map.of("V", "2"));
    assertThat(r.stages().get(0).baseName()).isEqualTo("alpine:2");
  }

  @Test
  void blankBaseNameIsRejected() {
    assertThat(reason("ARG IMG\nFROM $IMG\n")).isEqualTo("base name ($IMG) should not be blank");
  }

  @Test
  void metaArgIsInvisibleInStageUntilRedeclared() {
    ResolvedStage s = only("ARG V=1\nFROM alpine\nENV A=${V:-unset}\nARG V\nENV B=$V\n");
    Env a = (Env) s.instructions().get(0);
    Env b = (Env) s.instructions().get(2);
    assertThat(a.pairs().get(0).value()).isEqualTo("unset");
    assertThat(b.pairs().get(0).value()).isEqualTo("1");
  }

  @Test
  void stageArgBuildArgBeatsDefault() {
    ResolvedContainerfile r =
        Dsl.evaluate("FROM alpine\nARG V=default\nWORKDIR /$V\n", Map.of("V", "given"));
    assertThat(((Workdir) r.stages().get(0).instructions().get(1)).path()).isEqualTo("/given");
  }

  @Test
  void envOverridesArg() {
    ResolvedStage s = only("FROM alpine\nARG V=arg\nENV V=env\nWORKDIR /$V\n");
    assertThat(((Workdir) s.instructions().get(2)).path()).isEqualTo("/env");
  }

  @Test
  void envPairsSeeTheEnvironmentBeforeTheInstruction() {
    ResolvedStage s = only("FROM alpine\nENV a=hello\nENV a=bye b=$a\n");
    Env second = (Env) s.instructions().get(1);
    assertThat(second.pairs())
        .containsExactly(new KeyValue("a", "bye"), new KeyValue("b", "hello"));
    assertThat(s.environment()).containsEntry("a", "bye").containsEntry("b", "hello");
  }

  @Test
  void environmentIsInheritedThroughFromStage() {
    ResolvedContainerfile r =
        Dsl.evaluate("FROM alpine AS Base\nARG X=1\nENV Y=2\nFROM base\nWORKDIR /$X/$Y\n");
    ResolvedStage child = r.stages().get(1);
    assertThat(child.base()).isEqualTo(new StageReference.StageRef(0, "base"));
    assertThat(((Workdir) child.instructions().get(0)).path()).isEqualTo("/1/2");
  }

  @Test
  void platformArgsArePredefined() {
    ResolvedContainerfile r =
        Evaluator.evaluate(
            Dsl.parse(
                "FROM --platform=$BUILDPLATFORM alpine\nARG TARGETARCH\nWORKDIR /$TARGETARCH\n"),
            new EvaluationOptions(
                Map.of(), Platform.parse("linux/arm64/v8"), Platform.LINUX_AMD64));
    ResolvedStage s = r.stages().get(0);
    assertThat(s.platform()).contains(Platform.LINUX_AMD64);
    assertThat(((Workdir) s.instructions().get(1)).path()).isEqualTo("/arm64");
    assertThat(r.metaArgs()).containsEntry("TARGETPLATFORM", "linux/arm64/v8");
  }

  @Test
  void exposeSplitsWords() {
    ResolvedStage s = only("FROM alpine\nENV P=\"80 443\"\nEXPOSE $P\n");
    assertThat(((Expose) s.instructions().get(1)).ports()).containsExactly("80", "443");
  }

  @Test
  void copyFromByNameAndIndex() {
    ResolvedContainerfile r =
        Dsl.evaluate("FROM alpine AS b\nFROM alpine\nCOPY --from=B /a /a\nCOPY --from=0 /c /c\n");
    assertThat(r.stages().get(1).dependencies())
        .extracting(d -> d.source())
        .containsExactly(new StageReference.StageRef(0, "b"), new StageReference.StageRef(0, "b"));
  }

  @Test
  void copyFromUnknownNameIsAnImage() {
    ResolvedStage s = only("FROM alpine\nCOPY --from=nginx:1 /a /a\n");
    assertThat(s.dependencies().get(0).source()).isEqualTo(new StageReference.ImageRef("nginx:1"));
  }

  @Test
  void copyFromForwardReferenceIsRejected() {
    assertThat(reason("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\n"))
        .isEqualTo(
            "cannot copy from stage \"b\", it needs to be defined before current stage \"a\"");
  }

  @Test
  void copyFromIsNotExpanded() {
    assertThat(reason("FROM alpine\nARG S=x\nCOPY --from=$S /a /a\n"))
        .isEqualTo(
            "variable expansion is not supported for --from, define a new stage with FROM using"
                + " ARG from global scope as a workaround");
  }

  @Test
  void copyExpandsSourcesDestAndChown() {
    ResolvedStage s = only("FROM alpine\nARG U=1 D=/opt\nCOPY --chown=$U a${U} $D/\n");
    Copy c = (Copy) s.instructions().get(1);
    assertThat(c.chown()).contains("1");
    assertThat(c.sources()).containsExactly("a1");
    assertThat(c.destination()).isEqualTo("/opt/");
  }

  @Test
  void copyHeredocBodyKeepsQuotes() {
    ResolvedStage s = only("FROM alpine\nENV N=x\nCOPY <<EOF /f\n\"$N\"\nEOF\n");
    assertThat(((Copy) s.instructions().get(1)).inlineSources().get(0).data()).isEqualTo("\"x\"\n");
  }

  @Test
  void runExpandsOnlyMountOptions() {
    ResolvedStage s = only("FROM alpine\nARG C=/cache\nRUN --mount=type=cache,target=$C echo $C\n");
    Run run = (Run) s.instructions().get(1);
    assertThat(run.mounts().get(0).target()).isEqualTo("/cache");
    assertThat(run.command().args()).containsExactly("echo $C");
  }

  @Test
  void runMountFromStageIsADependency() {
    ResolvedContainerfile r =
        Dsl.evaluate("FROM alpine AS tools\nFROM alpine\nRUN --mount=from=tools,target=/t true\n");
    assertThat(r.stages().get(1).dependencies().get(0).source())
        .isEqualTo(new StageReference.StageRef(0, "tools"));
  }

  @Test
  void expansionErrorsArePositioned() {
    assertThatThrownBy(() -> Dsl.evaluate("FROM alpine\nWORKDIR ${X:?missing}\n"))
        .isInstanceOfSatisfying(
            ContainerfileException.class,
            e -> {
              assertThat(e.position().get().line()).isEqualTo(2);
              assertThat(e.reason()).contains("missing");
            });
  }

  @Test
  void scratchBaseHasDefaultPath() {
    ResolvedStage s = only("FROM scratch\n");
    assertThat(s.base()).isEqualTo(new StageReference.Scratch());
    assertThat(s.environment()).containsKey("PATH");
  }
}
