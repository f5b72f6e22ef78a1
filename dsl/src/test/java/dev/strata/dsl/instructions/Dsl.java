package dev.strata.dsl.instructions;

import dev.strata.dsl.eval.EvaluationOptions;
import dev.strata.dsl.eval.Evaluator;
import dev.strata.dsl.eval.ResolvedContainerfile;
import dev.strata.dsl.syntax.SyntaxParser;
import java.util.Map;

/** Test shorthand: text through the syntax parser, the instruction parser and the evaluator. */
final class Dsl {
  private Dsl() {}

  static Containerfile parse(String text) {
    return InstructionParser.parse(SyntaxParser.parse(text, "Containerfile"));
  }

  static Instruction first(String text) {
    var tree = SyntaxParser.parse(text, "Containerfile");
    return InstructionParser.parseInstruction(tree, tree.root().children().get(0));
  }

  /** The first instruction of a one-stage file's only stage. */
  static Instruction inStage(String line) {
    return parse("FROM scratch\n" + line + "\n").stages().get(0).instructions().get(0);
  }

  static ResolvedContainerfile evaluate(String text) {
    return Evaluator.evaluate(parse(text));
  }

  static ResolvedContainerfile evaluate(String text, Map<String, String> buildArgs) {
    return Evaluator.evaluate(parse(text), EvaluationOptions.withBuildArgs(buildArgs));
  }
}
