import Testing
@testable import SynthScanCore

/// Message templates: parsing (placeholders, escapes, errors with Character offsets) and
/// rendering (Python and printf number specs, rounding as C printf and Python do, the plain
/// format, nil, text and non-finite values).
@Suite("MessageTemplateTests")
struct MessageTemplateTests {

    // MARK: Helpers

    /// Formats `v` with a standalone spec.
    static func fmt(_ spec: String, _ v: Double) throws -> String {
        try NumberFormat(spec).format(v)
    }

    /// Renders `template` with `values`.
    static func render(_ template: String, _ values: [String: TemplateValue]) throws -> String {
        try MessageTemplate(template).render(values)
    }

    /// The error parsing `template` throws, or nil.
    static func parseError(_ template: String) -> MessageTemplateError? {
        do {
            _ = try MessageTemplate(template)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Parsing

    @Test func placeholdersInOrderWithNamesFormatsAndOffsets() throws {
        let t = try MessageTemplate("{exact_copies_train} synthetic rows ({exact_copy_share_train:.2%}) copy a training record; allowed: {max_copies}.")
        #expect(t.placeholders.map(\.name) == ["exact_copies_train", "exact_copy_share_train", "max_copies"])
        #expect(t.placeholders.map(\.offset) == [0, 37, 100])
        #expect(t.placeholders[0].format == nil)
        #expect(t.placeholders[1].format?.spec == ".2%")
        #expect(t.placeholders[1].format?.dialect == .python)
        #expect(t.placeholders[1].format?.conversion == .percent)
        #expect(t.placeholders[1].format?.precision == 2)
    }

    @Test func repeatedAndDigitUnderscoreNames() throws {
        let t = try MessageTemplate("{k2_anon} {k2_anon:d} {a}")
        #expect(t.placeholders.map(\.name) == ["k2_anon", "k2_anon", "a"])
        #expect(t.render(["k2_anon": .number(3), "a": .text("z")]) == "3 3 z")
    }

    @Test func literalTextAndBraceEscapes() throws {
        let t = try MessageTemplate("{{not_a_placeholder}} set {{{x}}} }}")
        #expect(t.placeholders.map(\.name) == ["x"])
        #expect(t.placeholders[0].offset == 28)
        #expect(t.render(["x": .number(5)]) == "{not_a_placeholder} set {5} }")
        #expect(try MessageTemplate("").render { _ in nil } == "")
        #expect(try MessageTemplate("no placeholders").placeholders.isEmpty)
    }

    @Test func unicodeOffsetsCountCharacters() throws {
        // Flag (2 scalars), decomposed é (2 scalars), CRLF (1 Character) and ✓ before placeholders.
        let text = "🇩🇪 e\u{301}\r\n{count} ✓ {x:.1f} 🙂"
        let t = try MessageTemplate(text)
        #expect(t.placeholders.map(\.offset) == [4, 14])
        #expect(Array(text)[4] == "{" && Array(text)[14] == "{")
        #expect(t.render(["count": .number(2), "x": .number(0.25)]) == "🇩🇪 e\u{301}\r\n2 ✓ 0.2 🙂")
    }

    @Test func unicodeErrorOffsetsCountCharacters() {
        #expect(Self.parseError("Ünïcode… 🇩🇪 }") == MessageTemplateError(offset: 11, message: "single '}' outside a placeholder (write '}}' for a literal '}')"))
        // A combining mark after '{' joins its Character: reported at the Character's offset.
        #expect(Self.parseError("é {\u{301}x}")?.offset == 2)
        #expect(Self.parseError("é {\u{301}x}")?.message.contains("U+0301") == true)
        #expect(Self.parseError("🙂 {x:.2fé}")?.offset == 8)
    }

    @Test func templatesAreEquatableByText() throws {
        #expect(try MessageTemplate("{a:.2f} b") == MessageTemplate("{a:.2f} b"))
        #expect(try MessageTemplate("{a:.2f} b") != MessageTemplate("{a:.3f} b"))
        #expect(try MessageTemplate("x").text == "x")
    }

    // MARK: Errors

    @Test(arguments: [
        ("abc {count", 4, "unterminated placeholder"),
        ("abc {count:.2f", 4, "unterminated placeholder"),
        ("{", 0, "unterminated placeholder"),
        ("x {} y", 2, "empty placeholder name"),
        ("{:.2f}", 0, "empty placeholder name"),
        ("{Count}", 1, "invalid character 'C' at the start"),
        ("{1x}", 1, "must start with a lower-case letter"),
        ("{_x}", 1, "must start with a lower-case letter"),
        ("{ab-c}", 3, "invalid character '-' in placeholder name"),
        ("{a b}", 2, "invalid character a space in placeholder name"),
        ("{param.k}", 6, "invalid character '.' in placeholder name"),
        ("{nameX}", 5, "invalid character 'X'"),
        ("a } b", 2, "single '}'"),
        ("}", 0, "single '}'"),
        ("{x}}", 3, "single '}'"),
        ("{x:}", 2, "empty format spec"),
        ("{x:.2f{y}}", 6, "'{' is not allowed inside a format spec"),
    ])
    func syntaxErrors(template: String, offset: Int, fragment: String) {
        let error = Self.parseError(template)
        #expect(error?.offset == offset, "\(template)")
        #expect(error?.message.contains(fragment) == true, "\(template): \(error?.message ?? "no error")")
    }

    @Test(arguments: [
        ("{x:.2q}", 5, "unknown format type 'q'"),
        ("{x:s}", 3, "unknown format type 's'"),
        ("{x:.2fx}", 6, "unexpected 'x' after format type 'f'"),
        ("{x:.f}", 3, "missing precision digits after '.'"),
        ("{x:.2d}", 3, "precision is not allowed with format type 'd'"),
        ("{x:.2}", 3, "a precision needs a format type"),
        ("{x:<5}", 3, "fill and alignment"),
        ("{x:-f}", 3, "sign option '-'"),
        ("{x:_d}", 3, "'_' grouping"),
        ("{x:#g}", 3, "alternate form"),
        ("{x:51f}", 3, "width 51 is larger than the maximum of 50"),
        ("{x:.51f}", 4, "precision 51 is larger than the maximum of 50"),
        ("{x:.99999999999999999999f}", 4, "precision is larger than the maximum of 50"),
        ("{x:%s}", 4, "unsupported conversion 's'"),
        ("{x:%n}", 4, "unsupported conversion 'n'"),
        ("{x:%x}", 4, "unsupported conversion 'x'"),
        ("{x:%.2f%d}", 7, "only one conversion"),
        ("{x:%}", 3, "missing conversion after '%'"),
        ("{x:%.2}", 3, "missing conversion after '%'"),
        ("{x:%%}", 3, "no conversion"),
        ("{x:.2f%}", 6, "missing conversion after '%'"),
        ("{x:%ld}", 4, "length modifier 'l'"),
        ("{x:%-5d}", 4, "printf flag '-'"),
        ("{x:%*d}", 4, "'*' width or precision"),
        ("{x:%.2d}", 4, "precision is not allowed with conversion 'd'"),
        ("{x:%51f}", 4, "width 51 is larger"),
        ("{x:%.51f}", 5, "precision 51 is larger"),
    ])
    func specErrors(template: String, offset: Int, fragment: String) {
        let error = Self.parseError(template)
        #expect(error?.offset == offset, "\(template)")
        #expect(error?.message.contains(fragment) == true, "\(template): \(error?.message ?? "no error")")
    }

    @Test func standaloneSpecErrorsAreRelativeToTheSpec() {
        #expect(throws: MessageTemplateError(offset: 2, message: "unknown format type 'q' (expected f, e, g, d or %)")) {
            try NumberFormat(".2q")
        }
        #expect(throws: MessageTemplateError(offset: 0, message: "empty format spec")) { try NumberFormat("") }
        #expect((try? NumberFormat(".2f}")) == nil)
    }

    @Test func errorDescriptionNamesOffset() {
        #expect(MessageTemplateError(offset: 7, message: "boom").description == "offset 7: boom")
    }

    // MARK: Dialects

    @Test func dialectDetection() throws {
        #expect(try NumberFormat(".2%").dialect == .python)
        #expect(try NumberFormat("5%").dialect == .python)
        #expect(try NumberFormat("5%").width == 5)
        #expect(try NumberFormat("%.2f%%").dialect == .printf)
        let withText = try NumberFormat("≈%.1f kg")
        #expect(withText.dialect == .printf)
        #expect(withText.prefix == "≈" && withText.suffix == " kg")
        #expect(withText.format(2.25) == "≈2.2 kg")
    }

    // MARK: Python specs

    @Test func pythonFixed() throws {
        #expect(try Self.fmt("f", 3.14159) == "3.141590")
        #expect(try Self.fmt(".2f", 3.14159) == "3.14")
        #expect(try Self.fmt(".0f", 3.7) == "4")
        #expect(try Self.fmt("+.1f", 2) == "+2.0")
        #expect(try Self.fmt(".3f", -1.0005) == "-1.000")   // -1.000499999… in binary
    }

    @Test func roundingIsOnTheExactBinaryValueTiesToEven() throws {
        #expect(try Self.fmt(".2f", 0.125) == "0.12")     // exact tie → even
        #expect(try Self.fmt(".2f", 0.375) == "0.38")     // exact tie → even
        #expect(try Self.fmt(".2f", 2.675) == "2.67")     // 2.67499999… in binary
        #expect(try Self.fmt(".2f", 1.005) == "1.00")     // 1.00499999…
        #expect(try Self.fmt(".0f", 2.5) == "2")
        #expect(try Self.fmt(".0f", 3.5) == "4")
        #expect(try Self.fmt("%.2f", 0.125) == "0.12")
        #expect(try Self.fmt("%.0f", 0.5) == "0")
        #expect(try Self.fmt(".1f", 0.05) == "0.1")       // 0.05000000000000000277…
    }

    @Test func pythonScientific() throws {
        #expect(try Self.fmt("e", 12345.678) == "1.234568e+04")
        #expect(try Self.fmt(".3e", 12345.678) == "1.235e+04")
        #expect(try Self.fmt(".0e", 0.00015) == "1e-04")   // 1.4999999…e-04 in binary
        #expect(try Self.fmt(".1e", 1e-100) == "1.0e-100")
        #expect(try Self.fmt(".2e", 0) == "0.00e+00")
        #expect(try Self.fmt(".3e", .leastNonzeroMagnitude) == "4.941e-324")
        #expect(try Self.fmt(".2e", 9.999) == "1.00e+01")
    }

    @Test func pythonGeneral() throws {
        #expect(try Self.fmt("g", 0.0001234) == "0.0001234")
        #expect(try Self.fmt("g", 0.00001234) == "1.234e-05")
        #expect(try Self.fmt("g", 100) == "100")
        #expect(try Self.fmt(".3g", 1234567) == "1.23e+06")
        #expect(try Self.fmt(".3g", 999.7) == "1e+03")
        #expect(try Self.fmt(".0g", 0.26) == "0.3")
        #expect(try Self.fmt(".4g", 2.5) == "2.5")
        #expect(try Self.fmt(",g", 123456) == "123,456")
    }

    @Test func pythonIntegerRoundsHalfAwayFromZero() throws {
        #expect(try Self.fmt("d", 2.5) == "3")
        #expect(try Self.fmt("d", -2.5) == "-3")
        #expect(try Self.fmt("d", 0.5) == "1")
        #expect(try Self.fmt("d", 0.49999999999999994) == "0")
        #expect(try Self.fmt("d", 12) == "12")
        #expect(try Self.fmt("d", 1e20) == "100000000000000000000")
    }

    @Test func pythonPercentScales() throws {
        #expect(try Self.fmt(".2%", 0.0125) == "1.25%")
        #expect(try Self.fmt(".1%", 0.125) == "12.5%")
        #expect(try Self.fmt(".0%", 0.125) == "12%")      // 12.5 → even
        #expect(try Self.fmt("6%", 1) == "100.000000%")
        #expect(try Self.fmt("+.1%", 0.5) == "+50.0%")
    }

    @Test func pythonThousandsSeparators() throws {
        #expect(try Self.fmt(",d", 1234567) == "1,234,567")
        #expect(try Self.fmt(",d", -999) == "-999")
        #expect(try Self.fmt(",d", -1000) == "-1,000")
        #expect(try Self.fmt(",.2f", 1234567.891) == "1,234,567.89")
        #expect(try Self.fmt(",.1%", 12.3456) == "1,234.6%")
        #expect(try Self.fmt(",", 1234567.5) == "1,234,568")
        #expect(try Self.fmt(",.1e", 123456) == "1.2e+05")
    }

    @Test func pythonWidthAndZeroPadding() throws {
        #expect(try Self.fmt("8.2f", 3.14159) == "    3.14")
        #expect(try Self.fmt("08.2f", -3.14159) == "-0003.14")
        #expect(try Self.fmt("+06d", 42) == "+00042")
        #expect(try Self.fmt("08.1%", 0.5) == "00050.0%")
        #expect(try Self.fmt("2d", 12345) == "12345")      // width is a minimum
        #expect(try Self.fmt("08,d", 1234) == "0,001,234") // zeros are grouped, as in Python
        #expect(try Self.fmt("010,d", 1234) == "00,001,234")
        #expect(try Self.fmt("012,.2f", 1234.5) == "0,001,234.50")
        #expect(try Self.fmt("6", 2.5) == "   2.5")
        #expect(try Self.fmt("+", 2.5) == "+2.5")
    }

    // MARK: printf specs

    @Test func printfDoesNotScale() throws {
        #expect(try Self.render("{count} synthetic rows ({share:%.2f%%}) copy a training record",
                                ["count": .number(20), "share": .number(12.5)])
                == "20 synthetic rows (12.50%) copy a training record")
        #expect(try Self.fmt("%.2f%%", 0.125) == "0.12%")
        #expect(try Self.fmt("%.2f%%", 0.135) == "0.14%")
        #expect(try Self.fmt("%%%.1f", 7) == "%7.0")
    }

    @Test func printfConversions() throws {
        #expect(try Self.fmt("%d", 2.5) == "3")
        #expect(try Self.fmt("%i", -2.5) == "-3")
        #expect(try Self.fmt("%+05d", 42) == "+0042")
        #expect(try Self.fmt("%0+5d", -42) == "-0042")
        #expect(try Self.fmt("%5d", 42) == "   42")
        #expect(try Self.fmt("%f", 1.5) == "1.500000")
        #expect(try Self.fmt("%.f", 1.5) == "2")
        #expect(try Self.fmt("%e", 12345.678) == "1.234568e+04")
        #expect(try Self.fmt("%.2E", 12345.678) == "1.23E+04")
        #expect(try Self.fmt("%g", 0.0001) == "0.0001")
        #expect(try Self.fmt("%G", 0.00001) == "1E-05")
        #expect(try Self.fmt("%.3G", 1234567) == "1.23E+06")
    }

    @Test func printfWidthExcludesLiteralText() throws {
        #expect(try Self.fmt("[%6.1f]", 2.25) == "[   2.2]")
        #expect(try Self.fmt("n=%04d rows", 7) == "n=0007 rows")
        #expect(try Self.fmt("%08.2f%%", -1.5) == "-0001.50%")
    }

    // MARK: Plain format

    @Test func plainFormat() {
        #expect(NumberFormat.plain(12) == "12")
        #expect(NumberFormat.plain(-12) == "-12")
        #expect(NumberFormat.plain(0.123456) == "0.1235")
        #expect(NumberFormat.plain(0.5) == "0.5")
        #expect(NumberFormat.plain(0.1) == "0.1")
        #expect(NumberFormat.plain(999.94) == "999.9")
        #expect(NumberFormat.plain(999.96) == "1000")
        #expect(NumberFormat.plain(1234.56) == "1235")
        #expect(NumberFormat.plain(1234.5) == "1234")       // tie → even
        #expect(NumberFormat.plain(1e20) == "100000000000000000000")
        #expect(NumberFormat.plain(0.00001234) == "1.234e-05")
        #expect(NumberFormat.plain(-0.0) == "0")
        #expect(NumberFormat.plain(0) == "0")
    }

    @Test func negativeZeroNeverHasAMinusSign() throws {
        #expect(try Self.fmt(".2f", -0.001) == "0.00")
        #expect(try Self.fmt(".1f", -0.0) == "0.0")
        #expect(try Self.fmt("+.1f", -0.0) == "+0.0")
        #expect(try Self.fmt("d", -0.4) == "0")
        #expect(try Self.fmt("%g", -0.0) == "0")
        #expect(try Self.fmt(".0%", -0.001) == "0%")
        #expect(try Self.fmt("05.1f", -0.01) == "000.0")
    }

    @Test func nonFiniteValuesIgnoreTheSpec() throws {
        #expect(NumberFormat.plain(.nan) == "n/a")
        #expect(NumberFormat.plain(.infinity) == "∞")
        #expect(NumberFormat.plain(-.infinity) == "-∞")
        #expect(try Self.fmt("%+8.2f%%", .infinity) == "∞")
        #expect(try Self.fmt("08,.2f", -.infinity) == "-∞")
        #expect(try Self.fmt(".2%", .nan) == "n/a")
        #expect(try Self.fmt(".1%", 1e308) == "∞")          // ×100 overflows
    }

    @Test func hugeAndTinyValuesAreExact() throws {
        let s = try Self.fmt(".2f", 1e300)
        #expect(s.hasPrefix("100000000000000005250476025520442024870446858110815915491585"))
        #expect(s.hasSuffix(".00"))
        #expect(s.count == 301 + 3)
        #expect(try Self.fmt(".3f", .leastNonzeroMagnitude) == "0.000")
        #expect(try Self.fmt(".50f", 0.1) == "0.10000000000000000555111512312578270211815834045410")
    }

    // MARK: Rendering values

    @Test func briefExampleRenders() throws {
        let text = "{exact_copies_train} synthetic rows ({exact_copy_share_train:.2%}) copy a training record; allowed: {max_copies}."
        let out = try Self.render(text, ["exact_copies_train": .number(20), "exact_copy_share_train": .number(0.0125),
                                         "max_copies": .number(0)])
        #expect(out == "20 synthetic rows (1.25%) copy a training record; allowed: 0.")
    }

    @Test func nilValuesRenderAsNA() throws {
        #expect(try Self.render("{a} and {b:.2f} and {c:%.1f%%}", [:]) == "n/a and n/a and n/a")
        let t = try MessageTemplate("{a}")
        #expect(t.render { _ in nil } == "n/a")
    }

    @Test func textValuesRenderAsIs() throws {
        let values: [String: TemplateValue] = ["col": .text("zip3"), "odd": .text("{x} 50%")]
        #expect(try Self.render("column {col}: {odd}", values) == "column zip3: {x} 50%")
        #expect(try Self.render("{col:.2f} / {col:%08.2f%%} / {col:,d}", values) == "zip3 / zip3 / zip3")
    }

    @Test func renderClosureReceivesEachName() throws {
        let t = try MessageTemplate("{a}{b}{a}")
        var asked: [String] = []
        let out = t.render { name in
            asked.append(name)
            return .number(name == "a" ? 1 : 2)
        }
        #expect(out == "121")
        #expect(asked == ["a", "b", "a"])
    }

    @Test func renderingIsDeterministic() throws {
        let t = try MessageTemplate("{a:.3f} {b:,d} {c} {d:%.2e}")
        let values: [String: TemplateValue] = ["a": .number(1.0 / 3), "b": .number(-1234567.5), "c": .number(0.1 + 0.2),
                                               "d": .number(6.02214076e23)]
        let first = t.render(values)
        #expect(first == "0.333 -1,234,568 0.3 6.02e+23")
        for _ in 0..<20 { #expect(t.render(values) == first) }
    }
}
