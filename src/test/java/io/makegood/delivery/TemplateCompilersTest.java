package io.makegood.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateCompilersTest {

	@Test
	void escapesHtmlExactlyAsJMustacheDoes() {
		String[] samples = { "", "plain", "<script>alert('x')</script>", "a & b = \"c\" `d`", "&amp;", "é€𝄞<",
				"Zoë O'Neil", "=", "&&<<>>" };
		for (String sample : samples) {
			assertThat(TemplateCompilers.escapeHtml(sample)).isEqualTo(Escapers.HTML.escape(sample));
		}
	}

	@Test
	void judgesSectionsAsTheStockCompilerDoes() {
		String source = "{{#credit}}[{{amount}}]{{/credit}}{{^credit}}none{{/credit}}|{{#empty}}E{{/empty}}"
				+ "|{{#blank}}B{{/blank}}{{^blank}}not{{/blank}}|{{#zero}}Z{{/zero}}|{{#list}}{{.}}{{/list}}|{{#nil}}N{{/nil}}";
		Mustache.Compiler stock = Mustache.compiler().withEscaper(Escapers.HTML).nullValue("").emptyStringIsFalse(true);
		for (Map<String, Object> model : models()) {
			assertThat(TemplateCompilers.HTML.compile(source).execute(model))
				.isEqualTo(stock.compile(source).execute(model));
		}
	}

	private static List<Map<String, Object>> models() {
		Map<String, Object> credit = new HashMap<>();
		credit.put("amount", "$1 <b>");
		Map<String, Object> full = new HashMap<>();
		full.put("credit", credit);
		full.put("empty", new HashMap<>());
		full.put("blank", "");
		full.put("zero", 0);
		full.put("list", List.of("a", "b"));
		full.put("nil", null);
		Map<String, Object> none = new HashMap<>(full);
		none.put("credit", null);
		none.put("blank", "x");
		none.put("empty", Map.of());
		return List.of(full, none);
	}

}
