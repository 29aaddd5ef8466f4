package io.argus.protocol.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoleTokensTest {
    @Test
    void eachLineGrantsItsRoleAndABareLineIsAnOperator() {
        RoleTokens t = RoleTokens.of(List.of("viewer:v-secret", "admin:a-secret", "plain-secret", "agent:g"));
        assertThat(t.open()).isFalse();
        assertThat(t.grant("v-secret")).contains(Grant.VIEWER);
        assertThat(t.grant("a-secret")).contains(Grant.ADMIN);
        assertThat(t.grant("plain-secret")).contains(Grant.OPERATOR);
        assertThat(t.grant("g")).contains(Grant.AGENT);
        // the role prefix is not part of the secret, and nothing else is accepted
        assertThat(t.grant("viewer:v-secret")).isEmpty();
        assertThat(t.grant("")).isEmpty();
        assertThat(t.grant(null)).isEmpty();
    }

    @Test
    void aColonInASecretThatNamesNoRoleIsPartOfTheSecret() {
        RoleTokens t = RoleTokens.of(List.of("abc:def"));
        assertThat(t.grant("abc:def")).contains(Grant.OPERATOR);
        assertThat(t.grant("def")).isEmpty();
        assertThat(RoleTokens.secretOf("abc:def")).isEqualTo("abc:def");
        assertThat(RoleTokens.secretOf("operator:def")).isEqualTo("def");
    }

    @Test
    void aRoleWithoutASecretIsRefusedRatherThanLettingEveryoneIn() {
        assertThatThrownBy(() -> RoleTokens.of(List.of("viewer:"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VIEWER");
    }

    @Test
    void withoutTokensEveryoneIsAnOperatorNeverAnAdmin() {
        RoleTokens t = RoleTokens.of(List.of());
        assertThat(t.open()).isTrue();
        assertThat(t.grant("anything")).contains(Grant.OPERATOR);
        assertThat(Grant.OPERATOR.mayControlAny()).isFalse();
        assertThat(Grant.OPERATOR.mayViewAny()).isFalse();
        assertThat(Grant.VIEWER.maySend()).isFalse();
    }

    @Test
    void theSelfProbeUsesTheFirstTokenThatMaySend() {
        assertThat(RoleTokens.firstSenderSecret(List.of("viewer:v", "admin:a", "o"))).isEqualTo("a");
        assertThat(RoleTokens.firstSenderSecret(List.of("viewer:v"))).isEmpty();
        assertThat(RoleTokens.firstSenderSecret(null)).isEmpty();
    }
}
