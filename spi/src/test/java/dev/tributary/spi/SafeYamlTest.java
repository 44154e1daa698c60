package dev.tributary.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.MappingNode;

class SafeYamlTest {
    /** 24 levels of two aliases each (48 aliases, under SnakeYAML's default of 50): 2^24 leaves once expanded. */
    static String aliasBomb(String indent) {
        StringBuilder sb = new StringBuilder(indent + "l0: &l0 [lol, lol]\n");
        for (int i = 1; i <= 24; i++) sb.append(indent).append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        return sb.toString();
    }

    @Test
    void anAliasBombIsRefusedBeforeAnyoneWalksIt() {
        String text = "name: demo\nx-bomb:\n" + aliasBomb("  ");
        assertThatThrownBy(() -> SafeYaml.compose(text, "tributary.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tributary.yml")
                .hasMessageContaining("aliases expand this document past 1000057 values (57 written)");
        assertThatThrownBy(() -> SafeYaml.load(text, "--vars")).hasMessageStartingWith("--vars: ");
    }

    @Test
    void aLargeDocumentWithAFewAliasesIsFine() {
        StringBuilder sb = new StringBuilder("base: &b {a: 1, b: 2}\nuses: [*b, *b]\nitems:\n");
        for (int i = 0; i < 400_000; i++) sb.append("  - ").append(i).append('\n');
        assertThat(SafeYaml.compose(sb.toString(), "big.yml")).isInstanceOf(MappingNode.class);
    }

    @Test
    void ordinaryAliasesStillWork() {
        String text = """
                defaults: &d {schema: raw, threads: 4}
                dev: *d
                list: [*d, *d]
                """;
        assertThat(SafeYaml.compose(text, "x.yml")).isInstanceOf(MappingNode.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) SafeYaml.load(text, "x.yml");
        assertThat(map.get("dev")).isEqualTo(Map.of("schema", "raw", "threads", 4L));
        assertThat((List<?>) map.get("list")).hasSize(2);
    }

    @Test
    void aRecursiveAliasIsAnErrorNotAStackOverflow() {
        assertThatThrownBy(() -> SafeYaml.compose("a: &a [1, *a]\n", "r.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("r.yml");
    }

    @Test
    void deepNestingAndSyntaxErrorsNameTheFile() {
        String deep = "[".repeat(500) + "]".repeat(500);
        assertThatThrownBy(() -> SafeYaml.compose(deep, "deep.yml"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("deep.yml");
        assertThatThrownBy(() -> SafeYaml.compose("a: [1,\nb: 2\n", "bad.yml"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("bad.yml:").hasMessageContaining("invalid YAML");
        assertThatThrownBy(() -> SafeYaml.load("a: 1\na: 2\n", "dup.yml"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("dup.yml:");
    }

    @Test
    void numbersKeepTheirValues() {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) SafeYaml.load("small: 3\nbig: 123456789012345678901234567890\nf: 1.5\nnothing: ~\n", "n.yml");
        assertThat(map.get("small")).isEqualTo(3L);
        assertThat(map.get("big")).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
        assertThat(map.get("f")).isEqualTo(1.5);
        assertThat(map).containsEntry("nothing", null);
    }

    @Test
    void aFloatADoubleCannotHoldStaysTheTextWritten() {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) SafeYaml.load("huge: 1e400\ntiny: 1e-400\nzero: 0.0e10\n", "n.yml");
        assertThat(map).containsEntry("huge", "1e400").containsEntry("tiny", "1e-400").containsEntry("zero", 0.0);
    }
}
