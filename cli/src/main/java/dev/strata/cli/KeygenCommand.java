package dev.strata.cli;

import dev.strata.trust.key.KeyPairFiles;
import dev.strata.trust.key.PasswordSource;
import dev.strata.trust.key.SigningKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata keygen}: a cosign-compatible ECDSA P-256 key pair. */
@Command(
    name = "keygen",
    description = {
      "Generate an ECDSA P-256 key pair for signing images: NAME.key (cosign's encrypted format,",
      "mode 0600) and NAME.pub (PEM), usable by cosign and by containers' policy.json as they are.",
      "The password comes from STRATA_PASSWORD, else COSIGN_PASSWORD (empty means none), else a",
      "prompt on the terminal. Existing files are never overwritten.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata keygen                                   # cosign.key, cosign.pub here",
      "  STRATA_PASSWORD=... strata keygen --output-key-prefix keys/release",
      "",
      "Exit codes: 0 ok, 1 could not write the files, 2 usage error or files already exist."
    },
    mixinStandardHelpOptions = true)
final class KeygenCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--output-key-prefix",
      paramLabel = "NAME",
      description = "Write NAME.key and NAME.pub (default: cosign, in the current folder).")
  String prefix = "cosign";

  @Option(names = "--json", description = "Print the written paths and key fingerprint as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    KeyPairFiles files = KeyPairFiles.of(Path.of(""), prefix);
    SigningKey key;
    try {
      key = files.generate(PasswordSource.fromEnvironment());
    } catch (java.nio.file.FileAlreadyExistsException e) {
      StrataCommand.printError(spec.commandLine(), "error: " + e.getFile() + ": " + e.getReason());
      return ErrorReporter.USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, String> result = new LinkedHashMap<>();
      result.put("privateKey", files.privateKeyFile().toString());
      result.put("publicKey", files.publicKeyFile().toString());
      result.put("fingerprint", key.publicKey().fingerprint());
      out.println(JsonOutput.write(result));
    } else {
      out.println("Private key written to " + files.privateKeyFile());
      out.println("Public key written to " + files.publicKeyFile());
    }
    out.flush();
    return 0;
  }
}
