package dev.strata.dsl.instructions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.dsl.ConformanceCorpus;
import dev.strata.dsl.ContainerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** BuildKit's instruction-layer unit-test expectations, transcribed in {@code extracted/}. */
class InstructionConformanceTest {

  private static JsonNode unit() {
    return ConformanceCorpus.extracted("parser-unit-cases.json");
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @TestFactory
  Stream<DynamicTest> instructionErrors() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : unit().get("instruction_errors")) {
      String dockerfile = c.get("dockerfile").asText();
      tests.add(
          DynamicTest.dynamicTest(
              dockerfile,
              () -> {
                var thrown = assertThatThrownBy(() -> Dsl.first(dockerfile));
                thrown.isInstanceOf(ContainerfileException.class);
                if (c.has("error")) {
                  thrown
                      .extracting(e -> ((ContainerfileException) e).reason())
                      .isEqualTo(c.get("error").asText());
                } else {
                  thrown
                      .extracting(e -> ((ContainerfileException) e).reason())
                      .asString()
                      .contains(c.get("error_contains").asText());
                }
              }));
    }
    return tests.stream();
  }

  @Test
  void healthcheckShellFormBecomesCmdShell() {
    JsonNode c = unit().get("instruction_results").get(0);
    Healthcheck h = (Healthcheck) Dsl.first(c.get("dockerfile").asText());
    assertThat(h.test()).isEqualTo(strings(c.get("HealthTest")));
  }

  @Test
  void runRecordsTheFlagsUsed() {
    JsonNode c = unit().get("instruction_results").get(1);
    Run run = (Run) Dsl.first(c.get("dockerfile").asText());
    assertThat(run.flagsUsed()).isEqualTo(strings(c.get("FlagsUsed")));
  }

  @Test
  void docCommentsOfStagesAndArgs() {
    JsonNode c = unit().get("instruction_results").get(2);
    Containerfile file = Dsl.parse(c.get("dockerfile").asText());
    assertThat(file.stages()).hasSize(c.get("stages").size());
    assertThat(file.stages().get(0).name()).contains(c.get("stages").get(0).get("Name").asText());
    assertThat(file.stages().get(0).docComment())
        .isEqualTo(c.get("stages").get(0).get("DocComment").asText());
    assertThat(file.metaArgs().get(0).args().get(0).key())
        .isEqualTo(c.get("meta_args").get(0).get("Key").asText());
    assertThat(file.metaArgs().get(0).args().get(0).docComment())
        .isEqualTo(c.get("meta_args").get(0).get("DocComment").asText());
    JsonNode commands = c.get("stage0_commands");
    List<Instruction> instructions = file.stages().get(0).instructions();
    assertThat(instructions).hasSize(commands.size());
    for (int i = 0; i < commands.size(); i++) {
      Arg arg = (Arg) instructions.get(i);
      for (int j = 0; j < commands.get(i).size(); j++) {
        assertThat(arg.args().get(j).key()).isEqualTo(commands.get(i).get(j).get("Key").asText());
        assertThat(arg.args().get(j).docComment())
            .isEqualTo(commands.get(i).get(j).get("DocComment").asText());
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> healthcheckIntervalMinimum() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : unit().get("healthcheck_interval")) {
      String value = c.get("value").asText();
      String line = "HEALTHCHECK --interval=" + value + " CMD true";
      tests.add(
          DynamicTest.dynamicTest(
              value,
              () -> {
                if (c.has("ok")) {
                  assertThat(Dsl.first(line)).isInstanceOf(Healthcheck.class);
                } else {
                  assertThatThrownBy(() -> Dsl.first(line))
                      .hasMessageContaining(c.get("error_contains").asText());
                }
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> bflags() {
    List<DynamicTest> tests = new ArrayList<>();
    int n = 0;
    for (JsonNode c : unit().get("bflags")) {
      tests.add(
          DynamicTest.dynamicTest(
              "bflags #" + n++ + " " + c.get("args"),
              () -> {
                Flags flags = new Flags(strings(c.get("args")));
                java.util.Map<String, Flags.Flag> byName = new java.util.HashMap<>();
                for (JsonNode def : c.get("defs")) {
                  String name = def.get(1).asText();
                  byName.put(
                      name,
                      def.get(0).asText().equals("bool")
                          ? flags.addBool(name, def.get(2).asBoolean())
                          : flags.addString(name, def.get(2).asText()));
                }
                if (!c.get("ok").asBoolean()) {
                  assertThatThrownBy(flags::parse).isInstanceOf(ContainerfileException.class);
                  return;
                }
                flags.parse();
                if (c.has("values")) {
                  c.get("values")
                      .fields()
                      .forEachRemaining(
                          e ->
                              assertThat(byName.get(e.getKey()).value())
                                  .isEqualTo(e.getValue().asText()));
                }
                if (c.has("used_sorted")) {
                  assertThat(flags.used().stream().sorted().toList())
                      .isEqualTo(strings(c.get("used_sorted")));
                }
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> handleJsonArgs() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : unit().get("handle_json_args")) {
      List<String> args = strings(c.get("args"));
      boolean json = c.get("json").asBoolean();
      tests.add(
          DynamicTest.dynamicTest(
              args + " json=" + json,
              () -> {
                var node =
                    new dev.strata.dsl.syntax.Node(
                        "CMD",
                        List.of(),
                        args.stream().map(dev.strata.dsl.syntax.Node::word).toList(),
                        List.of(),
                        List.of(),
                        json,
                        "CMD",
                        1,
                        1,
                        List.of());
                var tree =
                    new dev.strata.dsl.syntax.SyntaxTree(
                        node, List.of(), '\\', List.of(), null, List.of("CMD"));
                Cmd cmd = (Cmd) InstructionParser.parseInstruction(tree, node);
                assertThat(cmd.command().args()).isEqualTo(strings(c.get("expect")));
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> runDevice() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : unit().get("run_device")) {
      String input = c.get("input").asText();
      tests.add(
          DynamicTest.dynamicTest(
              input,
              () -> {
                if (c.has("error")) {
                  assertThatThrownBy(() -> RunDevice.parse(input))
                      .extracting(e -> ((ContainerfileException) e).reason())
                      .isEqualTo(c.get("error").asText());
                } else {
                  assertThat(RunDevice.parse(input))
                      .isEqualTo(
                          new RunDevice(c.get("Name").asText(), c.get("Required").asBoolean()));
                }
              }));
    }
    return tests.stream();
  }

  private static JsonNode heredocs() {
    return ConformanceCorpus.extracted("heredoc-parser-cases.json").get("instruction_level");
  }

  @TestFactory
  Stream<DynamicTest> heredocCopy() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : heredocs().get("copy")) {
      String dockerfile = c.get("dockerfile").asText();
      tests.add(
          DynamicTest.dynamicTest(
              dockerfile,
              () -> {
                Copy copy = (Copy) Dsl.first(dockerfile);
                assertThat(copy.destination()).isEqualTo(c.get("DestPath").asText());
                assertThat(copy.sources()).isEqualTo(strings(c.get("SourcePaths")));
                List<InlineSource> expected = new ArrayList<>();
                for (JsonNode s : c.get("SourceContents")) {
                  expected.add(
                      new InlineSource(
                          s.get("Path").asText(),
                          s.get("Data").asText(),
                          s.get("Expand").asBoolean()));
                }
                assertThat(copy.inlineSources()).isEqualTo(expected);
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> heredocRun() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : heredocs().get("run")) {
      String dockerfile = c.get("dockerfile").asText();
      tests.add(
          DynamicTest.dynamicTest(
              dockerfile,
              () -> {
                Run run = (Run) Dsl.first(dockerfile);
                assertThat(run.command().prependShell())
                    .isEqualTo(c.get("PrependShell").asBoolean());
                assertThat(run.command().args()).isEqualTo(strings(c.get("CmdLine")));
                List<InlineFile> expected = new ArrayList<>();
                for (JsonNode f : c.get("Files")) {
                  expected.add(
                      new InlineFile(
                          f.get("Name").asText(),
                          f.get("Data").asText(),
                          f.get("Chomp").asBoolean()));
                }
                assertThat(run.heredocs()).isEqualTo(expected);
              }));
    }
    return tests.stream();
  }

  @Test
  void heredocAsDestinationIsRejected() {
    JsonNode c = heredocs().get("errors").get(0);
    assertThatThrownBy(() -> Dsl.first(c.get("dockerfile").asText()))
        .hasMessageContaining(c.get("error_contains").asText());
  }

  @Test
  void chompStripsLeadingTabs() {
    JsonNode c = heredocs().get("chomp");
    assertThat(dev.strata.dsl.syntax.HeredocMarkers.chomp(c.get("input").asText()))
        .isEqualTo(c.get("ChompHeredocContent").asText());
  }
}
