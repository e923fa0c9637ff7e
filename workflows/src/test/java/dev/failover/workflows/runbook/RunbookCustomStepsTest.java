package dev.failover.workflows.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.run.Step;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validator knows every built-in step: custom steps may depend on them, not take their names.
 */
class RunbookCustomStepsTest {
  private static String withCustomStep(String name, String dependsOn) {
    return TestRunbooks.exampleYaml()
        + "steps:\n  custom:\n    - {name: "
        + name
        + ", dependsOn: ["
        + dependsOn
        + "], webhook: {url: \"https://hooks.example.com/x\"}}\n";
  }

  static java.util.List<String> builtInSteps() {
    return Step.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtInSteps")
  void aCustomStepNamedLikeABuiltInStepIsRefused(String builtIn) {
    assertThatThrownBy(() -> RunbookYaml.parse(withCustomStep(builtIn, "smoke-test"), "test"))
        .isInstanceOf(InvalidRunbookException.class)
        .hasMessageContaining(
            "steps.custom[0].name: '" + builtIn + "' is the name of a built-in step");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtInSteps")
  void aCustomStepMayDependOnAnyBuiltInStep(String builtIn) throws Exception {
    Runbook runbook = RunbookYaml.parse(withCustomStep("notify", builtIn), "test");
    assertThat(runbook.steps().custom())
        .singleElement()
        .satisfies(step -> assertThat(step.dependsOn()).containsExactly(builtIn));
  }
}
