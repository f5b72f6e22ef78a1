package dev.strata.dsl.instructions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

/** The instruction layer's behaviour, one rule a test. */
class InstructionSpecificationTest {

  private static AbstractStringAssert<?> reason(String text) {
    return assertThat(
        org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> Dsl.parse(text), ContainerfileException.class)
            .reason());
  }

  private static RunMount mount(String spec) {
    Run run = (Run) Dsl.inStage("RUN --mount=" + spec + " true");
    return run.expand(Expanders.IDENTITY).mounts().get(0);
  }

  private static String mountError(String spec) {
    Run run = (Run) Dsl.inStage("RUN --mount=" + spec + " true");
    return org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> run.expand(Expanders.IDENTITY), ContainerfileException.class)
        .reason();
  }

  @Test
  void lowercaseKeywordsParse() {
    assertThat(Dsl.parse("from alpine\nrun echo hi\n").stages().get(0).instructions())
        .singleElement()
        .isInstanceOf(Run.class);
  }

  @Test
  void unknownInstructionSuggestsInTheSameCase() {
    reason("FROM alpine\nFORM x\n").isEqualTo("unknown instruction: FORM (did you mean FROM?)");
    reason("FROM alpine\nfrm x\n").isEqualTo("unknown instruction: frm (did you mean from?)");
  }

  @Test
  void instructionBeforeFromIsRejected() {
    reason("RUN true\n").isEqualTo("no build stage in current context");
  }

  @Test
  void errorsArePositionedAtTheOffendingFlag() {
    ContainerfileException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> Dsl.parse("FROM alpine\nCOPY --chmown=1 a b\n"), ContainerfileException.class);
    assertThat(e.reason()).isEqualTo("unknown flag: --chmown (did you mean chown?)");
    assertThat(e.position().get().line()).isEqualTo(2);
    assertThat(e.position().get().column()).isEqualTo(6);
    assertThat(e.sourceLine()).contains("COPY --chmown=1 a b");
  }

  @Test
  void fromWithPlatformAndStageName() {
    Stage stage = Dsl.parse("FROM --platform=linux/arm64 alpine AS Build\n").stages().get(0);
    assertThat(stage.platform()).contains("linux/arm64");
    assertThat(stage.name()).contains("build");
    assertThat(stage.baseImage()).isEqualTo("alpine");
  }

  @Test
  void fromNeedsOneOrThreeArguments() {
    reason("FROM a b\n").isEqualTo("FROM requires either one or three arguments");
  }

  @Test
  void stageNameMustStartWithALetter() {
    reason("FROM a AS 1x\n")
        .isEqualTo(
            "invalid name for build stage: \"1x\", name can't start with a number or contain"
                + " symbols");
  }

  @Test
  void fromRejectsUnknownFlag() {
    reason("FROM --plattform=x a\n")
        .isEqualTo("unknown flag: --plattform (did you mean platform?)");
  }

  @Test
  void runNetworkValues() {
    assertThat(((Run) Dsl.inStage("RUN --network=none true")).network())
        .isEqualTo(NetworkMode.NONE);
    reason("FROM a\nRUN --network=bridge true\n").isEqualTo("invalid network mode \"bridge\"");
  }

  @Test
  void runSecurityValues() {
    assertThat(((Run) Dsl.inStage("RUN --security=insecure true")).security())
        .isEqualTo(SecurityMode.INSECURE);
    reason("FROM a\nRUN --security=root true\n").isEqualTo("security \"root\" is not valid");
  }

  @Test
  void runDeviceRepeats() {
    Run run = (Run) Dsl.inStage("RUN --device=a.com/x --device=b.com/y,required true");
    assertThat(run.devices())
        .containsExactly(new RunDevice("a.com/x", false), new RunDevice("b.com/y", true));
  }

  @Test
  void bindMountDefaultsReadOnly() {
    RunMount m = mount("target=/src");
    assertThat(m.type()).isEqualTo(MountType.BIND);
    assertThat(m.readOnly()).isTrue();
  }

  @Test
  void cacheMountDefaultsReadWriteWithOptions() {
    RunMount m = mount("type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0700,uid=1");
    assertThat(m.readOnly()).isFalse();
    assertThat(m.sharing()).contains(CacheSharing.LOCKED);
    assertThat(m.mode()).isEqualTo(OptionalLong.of(0700));
    assertThat(m.uid()).isEqualTo(OptionalLong.of(1));
    assertThat(m.id()).isEqualTo("pip");
  }

  @Test
  void cacheMountTakesAFromStageAndASourceInIt() {
    RunMount m = mount("type=cache,from=deps,source=/root/.m2,target=/root/.m2");
    assertThat(m.type()).isEqualTo(MountType.CACHE);
    assertThat(m.from()).isEqualTo("deps");
    assertThat(m.source()).isEqualTo("/root/.m2");
    assertThat(m.readOnly()).isFalse();
  }

  @Test
  void tmpfsMountTakesASize() {
    RunMount m = mount("type=tmpfs,target=/t,size=64m");
    assertThat(m.sizeLimit()).isEqualTo(64L * 1024 * 1024);
    assertThat(mountError("type=tmpfs,target=/t,size=lots"))
        .isEqualTo("invalid value for size: lots");
  }

  @Test
  void sizeBeforeTypeIsCheckedAgainstBind() {
    assertThat(mountError("size=1m,type=tmpfs"))
        .isEqualTo("unexpected key 'size' for mount type 'bind'");
  }

  @Test
  void secretMountRules() {
    RunMount m = mount("type=secret,id=tok,env=TOKEN,required");
    assertThat(m.required()).isTrue();
    assertThat(m.env()).contains("TOKEN");
    assertThat(m.readOnly()).isTrue();
    assertThat(mountError("type=secret,env=X"))
        .isEqualTo("invalid secret mount. one of source, target required");
    assertThat(mountError("type=secret,id=a,source=b"))
        .isEqualTo("both source and id can't be set");
    assertThat(mountError("type=secret,id=a,from=x"))
        .isEqualTo("secret mount should not have a from");
  }

  @Test
  void sshMountMayBeRequired() {
    assertThat(mount("type=ssh,required=true").required()).isTrue();
    assertThat(mountError("required")).isEqualTo("unexpected key 'required' for mount type 'bind'");
  }

  @Test
  void unknownMountTypeSuggests() {
    assertThat(mountError("type=cahce"))
        .isEqualTo("unsupported mount type \"cahce\" (did you mean cache?)");
  }

  @Test
  void unknownMountKeySuggests() {
    assertThat(mountError("targte=/x"))
        .isEqualTo("unexpected key 'targte' in 'targte=/x' (did you mean target?)");
  }

  @Test
  void bareMountWordMustBeKeyValue() {
    assertThat(mountError("foo")).isEqualTo("invalid field 'foo' must be a key=value pair");
  }

  @Test
  void modeIsOnlyForCacheSecretSsh() {
    assertThat(mountError("type=tmpfs,target=/t,mode=0700"))
        .isEqualTo("mode not allowed for \"tmpfs\" type mounts");
  }

  @Test
  void sharingIsOnlyForCache() {
    assertThat(mountError("type=tmpfs,target=/t,sharing=shared"))
        .isEqualTo("invalid cache sharing set for tmpfs mount");
  }

  @Test
  void mountFromRejectsVariablesAtParseTime() {
    reason("FROM a\nRUN --mount=from=$X,target=/x true\n")
        .isEqualTo("'from' doesn't support variable expansion, define alias stage instead");
  }

  @Test
  void copyFlags() {
    Copy c =
        (Copy)
            Dsl.inStage(
                "COPY --from=build --chown=1:2 --chmod=0755 --link --parents --exclude=*.md"
                    + " --exclude=x a b /dst/");
    assertThat(c.from()).contains("build");
    assertThat(c.chown()).contains("1:2");
    assertThat(c.chmod()).contains("0755");
    assertThat(c.link()).isTrue();
    assertThat(c.parents()).isTrue();
    assertThat(c.excludes()).containsExactly("*.md", "x");
    assertThat(c.sources()).containsExactly("a", "b");
    assertThat(c.destination()).isEqualTo("/dst/");
  }

  @Test
  void copyRejectsAddOnlyFlags() {
    reason("FROM a\nCOPY --checksum=sha256:x a b\n").startsWith("unknown flag: --checksum");
    reason("FROM a\nCOPY --link=maybe a b\n")
        .isEqualTo("expecting boolean value for flag --link, not: maybe");
    reason("FROM a\nCOPY --from a b\n").isEqualTo("missing a value on flag: --from");
    reason("FROM a\nCOPY --from=x --from=y a b\n").isEqualTo("duplicate flag specified: --from");
  }

  @Test
  void chmodMustBeOctalUpTo7777() {
    Copy c = (Copy) Dsl.inStage("COPY --chmod=10000 a b");
    assertThatThrownBy(() -> c.expand(Expanders.IDENTITY))
        .extracting(e -> ((ContainerfileException) e).reason())
        .isEqualTo(
            "invalid chmod parameter: '10000'. it should be octal string and between 0 and 07777");
    Copy symbolic = (Copy) Dsl.inStage("COPY --chmod=u+x,go-w a b");
    assertThat(symbolic.expand(Expanders.IDENTITY).chmod()).contains("u+x,go-w");
  }

  @Test
  void addFlags() {
    Add a =
        (Add)
            Dsl.inStage(
                "ADD --keep-git-dir --checksum=sha256:abc --unpack=false --link --exclude=x"
                    + " https://example.com/a.tar /dst");
    assertThat(a.keepGitDir()).isTrue();
    assertThat(a.checksum()).contains("sha256:abc");
    assertThat(a.unpack()).contains(false);
    assertThat(a.link()).isTrue();
    assertThat(a.excludes()).containsExactly("x");
    assertThat(((Add) Dsl.inStage("ADD a b")).unpack()).isEmpty();
  }

  @Test
  void addRejectsCopyOnlyFlags() {
    reason("FROM a\nADD --from=x a b\n").startsWith("unknown flag: --from");
    reason("FROM a\nADD --parents a b\n").startsWith("unknown flag: --parents");
  }

  @Test
  void addKnowsWhenASourceIsRemote() {
    assertThat(((Add) Dsl.inStage("ADD files/ app.tar /dst/")).hasRemoteSource()).isFalse();
    assertThat(((Add) Dsl.inStage("ADD a https://example.com/x.tar /dst/")).hasRemoteSource())
        .isTrue();
    assertThat(((Add) Dsl.inStage("ADD git@example.com:corp/repo.git /src")).hasRemoteSource())
        .isTrue();
  }

  @Test
  void addChecksumNeedsOneRemoteSource() {
    Add local = (Add) Dsl.inStage("ADD --checksum=sha256:abc file.tar /dst");
    assertThatThrownBy(() -> local.expand(Expanders.IDENTITY))
        .hasMessageContaining("checksum requires HTTP(S) or Git sources");
    Add two = (Add) Dsl.inStage("ADD --checksum=sha256:abc https://a/x https://a/y /dst");
    assertThatThrownBy(() -> two.expand(Expanders.IDENTITY))
        .hasMessageContaining("checksum can't be specified for multiple sources");
  }

  @Test
  void healthcheckDurationsAndRetries() {
    Healthcheck h =
        (Healthcheck)
            Dsl.inStage(
                "HEALTHCHECK --interval=1m30s --timeout=.5s --start-period=2s"
                    + " --start-interval=100ms --retries=3 CMD [\"curl\", \"-f\", \"x\"]");
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(h.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(h.startPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(h.startInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(h.retries()).isEqualTo(3);
    assertThat(h.test()).containsExactly("CMD", "curl", "-f", "x");
  }

  @Test
  void healthcheckErrors() {
    reason("FROM a\nHEALTHCHECK --interval=5 CMD x\n")
        .isEqualTo("time: missing unit in duration \"5\"");
    reason("FROM a\nHEALTHCHECK --retries=-1 CMD x\n")
        .isEqualTo("--retries cannot be negative (-1)");
    reason("FROM a\nHEALTHCHECK NONE x\n").isEqualTo("HEALTHCHECK NONE takes no arguments");
    reason("FROM a\nHEALTHCHECK CMD\n").isEqualTo("Missing command after HEALTHCHECK CMD");
    reason("FROM a\nHEALTHCHECK CONNECT x\n")
        .isEqualTo("Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)");
  }

  @Test
  void healthcheckNone() {
    assertThat(((Healthcheck) Dsl.inStage("HEALTHCHECK NONE")).isNone()).isTrue();
  }

  @Test
  void shellNeedsJson() {
    assertThat(((Shell) Dsl.inStage("SHELL [\"/bin/bash\", \"-c\"]")).shell())
        .containsExactly("/bin/bash", "-c");
    reason("FROM a\nSHELL /bin/bash -c\n")
        .isEqualTo("SHELL requires the arguments to be in JSON form");
    reason("FROM a\nSHELL []\n").isEqualTo("SHELL requires at least one argument");
  }

  @Test
  void stopSignalTakesOneWord() {
    assertThat(((StopSignal) Dsl.inStage("STOPSIGNAL SIGTERM")).signal()).isEqualTo("SIGTERM");
  }

  @Test
  void onbuildKeepsTheTriggerText() {
    Onbuild o = (Onbuild) Dsl.inStage("ONBUILD RUN echo hi");
    assertThat(o.expression()).isEqualTo("RUN echo hi");
  }

  @Test
  void onbuildForbiddenTriggers() {
    reason("FROM a\nONBUILD MAINTAINER x\n")
        .isEqualTo("MAINTAINER isn't allowed as an ONBUILD trigger");
    reason("FROM a\nONBUILD FROM x\n").isEqualTo("FROM isn't allowed as an ONBUILD trigger");
    reason("FROM a\nONBUILD ONBUILD RUN x\n")
        .isEqualTo("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  }

  @Test
  void maintainerWarns() {
    Containerfile f = Dsl.parse("FROM a\nMAINTAINER me\n");
    assertThat(f.warnings())
        .anySatisfy(
            w -> {
              assertThat(w.rule()).isEqualTo("MaintainerDeprecated");
              assertThat(w.message())
                  .isEqualTo("Maintainer instruction is deprecated in favor of using label");
              assertThat(w.position().line()).isEqualTo(2);
            });
  }

  @Test
  void envLegacyAndPairs() {
    Env legacy = (Env) Dsl.inStage("ENV A b c");
    assertThat(legacy.legacyForm()).isTrue();
    assertThat(legacy.pairs()).containsExactly(new KeyValue("A", "b c"));
    Env pairs = (Env) Dsl.inStage("ENV A=1 B=\"2 3\"");
    assertThat(pairs.legacyForm()).isFalse();
    assertThat(pairs.pairs()).containsExactly(new KeyValue("A", "1"), new KeyValue("B", "\"2 3\""));
  }

  @Test
  void exposeIsSorted() {
    assertThat(((Expose) Dsl.inStage("EXPOSE 8080 443 80/udp")).ports())
        .containsExactly("443", "80/udp", "8080");
  }

  @Test
  void argWithoutAndWithDefault() {
    Arg a = (Arg) Dsl.inStage("ARG A B=2");
    assertThat(a.args())
        .containsExactly(
            new ArgDeclaration("A", Optional.empty(), ""),
            new ArgDeclaration("B", Optional.of("2"), ""));
    reason("FROM a\nARG =x\n").isEqualTo("ARG names can not be blank");
  }

  @Test
  void volumeAndEntrypointForms() {
    assertThat(((Volume) Dsl.inStage("VOLUME [\"/a\", \"/b\"]")).volumes())
        .containsExactly("/a", "/b");
    Entrypoint e = (Entrypoint) Dsl.inStage("ENTRYPOINT []");
    assertThat(e.command().args()).isEmpty();
    assertThat(e.command().prependShell()).isFalse();
    Cmd c = (Cmd) Dsl.inStage("CMD echo hi");
    assertThat(c.command()).isEqualTo(new CommandLine(List.of("echo hi"), true));
  }

  @Test
  void goDurationParsesGoForms() {
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("1.5µs")).isEqualTo(Duration.ofNanos(1500));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> GoDuration.parse("1x"))
        .hasMessage("time: unknown unit \"x\" in duration \"1x\"");
    assertThatThrownBy(() -> GoDuration.parse("")).hasMessage("time: invalid duration \"\"");
  }
}
