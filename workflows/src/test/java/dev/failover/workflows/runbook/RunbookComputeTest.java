package dev.failover.workflows.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.workflows.TestRunbooks;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runbook's optional {@code compute} section: zone and instance profile rules. */
class RunbookComputeTest {
  private static final String PRIMARY_PROFILE =
      "arn:aws:iam::123456789012:instance-profile/acme-etl-use1";
  private static final String DR_PROFILE =
      "arn:aws:iam::123456789012:instance-profile/acme-etl-usw2";

  private static String withCompute(String section) {
    String yaml = TestRunbooks.exampleYaml();
    int start = yaml.indexOf("\ncompute:\n");
    int end = yaml.indexOf("\nobjectives:");
    assertThat(start).as("the example runbook has a compute section").isPositive();
    return yaml.substring(0, start + 1) + section + yaml.substring(end);
  }

  @Test
  void theExampleRunbookMapsTheDemosZoneAndInstanceProfile() {
    ComputeRules compute = TestRunbooks.example().compute();
    assertThat(compute.zones()).isEqualTo(Map.of("us-east-1c", "us-west-2a"));
    assertThat(compute.defaultZone()).isNull();
    assertThat(compute.instanceProfiles()).isEqualTo(Map.of(PRIMARY_PROFILE, DR_PROFILE));
  }

  @Test
  void failbackUsesTheRulesReversedAndAutoStaysAuto() {
    ComputeRules compute =
        new ComputeRules(
            Map.of("us-east-1c", "us-west-2a", "us-east-1d", "auto"),
            "auto",
            Map.of(PRIMARY_PROFILE, DR_PROFILE));
    ComputeRules back = compute.reversed();
    assertThat(back.zones()).isEqualTo(Map.of("us-west-2a", "us-east-1c"));
    assertThat(back.defaultZone()).isEqualTo("auto");
    assertThat(back.instanceProfiles()).isEqualTo(Map.of(DR_PROFILE, PRIMARY_PROFILE));
  }

  @Test
  void withoutTheSectionThereAreNoRulesAndARecordedRunbookReadsBack() throws Exception {
    Runbook none = RunbookYaml.parse(withCompute(""), "test");
    assertThat(none.compute()).isEqualTo(ComputeRules.NONE);
    Runbook example = TestRunbooks.example();
    assertThat(example.withCapture(null).compute()).isEqualTo(example.compute());

    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = json.valueToTree(none);
    tree.remove("compute");
    assertThat(json.treeToValue(tree, Runbook.class)).isEqualTo(none);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "zone of DR as key|compute:\\n  zones: {us-west-2a: us-west-2b}\\n"
            + "|compute.zones.us-west-2a: must be a zone of the primary's region us-east-1",
        "zone of the primary as value|compute:\\n  zones: {us-east-1c: us-east-1d}\\n"
            + "|compute.zones.us-east-1c: must map to auto or a zone of the secondary's region"
            + " us-west-2, got 'us-east-1d'",
        "a region, not a zone|compute:\\n  defaultZone: us-west-2\\n"
            + "|compute.defaultZone: must be auto or a zone of the secondary's region us-west-2",
        "not an instance profile|compute:\\n  instanceProfiles: {'arn:aws:iam::123456789012:role/x':"
            + " 'arn:aws:iam::123456789012:instance-profile/y'}\\n"
            + "|compute.instanceProfiles.arn:aws:iam::123456789012:role/x: must be an instance"
            + " profile ARN",
        "unknown field|compute:\\n  zone: {}\\n|compute.zone: is not a known field",
        "not a mapping|compute:\\n  zones: [us-east-1c]\\n|compute.zones: must be a mapping",
      })
  void aBadSectionIsRefusedNamingTheField(String what, String section, String expected) {
    String yaml = withCompute(section.replace("\\n", "\n"));
    assertThatThrownBy(() -> RunbookYaml.parse(yaml, "test"))
        .isInstanceOf(InvalidRunbookException.class)
        .hasMessageContaining(expected);
  }
}
