package dev.failover.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.simulator.profile.CloudProfile;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ApiFamiliesTest {
  @Test
  void theBundledFamiliesAreTheRealisticProfilesInTheSameOrder() throws Exception {
    JsonNode bundled = read(ApiFamilies.class.getResourceAsStream("api-families.json"));
    JsonNode profile = read(CloudProfile.class.getResourceAsStream("/profiles/realistic.json"));

    assertThat(bundled.get("databricks").size()).isEqualTo(profile.get("databricks").size());
    for (int i = 0; i < profile.get("databricks").size(); i++) {
      JsonNode expected = profile.get("databricks").get(i);
      JsonNode actual = bundled.get("databricks").get(i);
      assertThat(actual.get("family")).isEqualTo(expected.get("family"));
      assertThat(actual.get("match")).isEqualTo(expected.get("match"));
    }
  }

  @Test
  void requestsAreClassifiedByPathAndMethod() {
    assertThat(ApiFamilies.databricks("GET", "/api/2.1/unity-catalog/catalogs"))
        .isEqualTo("unity-catalog");
    assertThat(ApiFamilies.databricks("GET", "/api/2.0/permissions/jobs/1"))
        .isEqualTo("permissions-read");
    assertThat(ApiFamilies.databricks("PUT", "/api/2.0/permissions/jobs/1"))
        .isEqualTo("permissions-write");
    assertThat(ApiFamilies.databricks("POST", "/api/2.2/jobs/create")).isEqualTo("jobs");
    assertThat(ApiFamilies.s3("HEAD")).isEqualTo("s3-read");
    assertThat(ApiFamilies.s3("PUT")).isEqualTo("s3-write");
  }

  private static JsonNode read(InputStream in) throws Exception {
    try (in) {
      return new ObjectMapper().readTree(in);
    }
  }
}
