namespace AkkaLog.Protocol.Generator;

/// <summary>
/// Emits the Read and Write methods of one struct. Field order follows the schema; tagged fields
/// go in the struct's trailing tag buffer in ascending tag order. Version checks are emitted
/// only where a field's presence, flexibility or nullability actually changes within the
/// versions the struct can appear in.
/// </summary>
public sealed class FieldCodec(MessageModel model, StructSpec s, CodeBuilder cb)
{
    private Versions Ctx => s.ContextVersions;

    private Versions MessageFlex => model.Spec.FlexibleVersions;

    private Versions StructFlex => MessageFlex.Intersect(Ctx);

    private IEnumerable<(FieldSpec Field, Versions Range)> TaggedFields =>
        s.Fields
            .Select(f => (Field: f, Range: f.TaggedVersions.Intersect(f.Versions).Intersect(StructFlex)))
            .Where(t => !t.Range.IsEmpty)
            .OrderBy(t => t.Field.Tag);

    public void EmitRead()
    {
        foreach (var f in s.Fields)
        {
            var regular = RegularVersions(f);
            cb.Branch(Conditions.Cond(regular, Ctx), () => ReadVarying(f, regular, FieldFlex(f)));
        }

        cb.Branch(Conditions.Cond(StructFlex, Ctx), EmitReadTagBuffer);
    }

    public void EmitWrite()
    {
        foreach (var f in s.Fields)
        {
            var regular = RegularVersions(f);
            cb.Branch(Conditions.Cond(regular, Ctx), () => WriteVarying(f, regular, FieldFlex(f)));
        }

        cb.Branch(Conditions.Cond(StructFlex, Ctx), EmitWriteTagBuffer);
    }

    private Versions RegularVersions(FieldSpec f) => f.Versions.Intersect(Ctx).Subtract(f.TaggedVersions.Intersect(MessageFlex));

    private Versions FieldFlex(FieldSpec f) => f.FlexibleVersions ?? MessageFlex;

    // Fixed-width values and struct calls encode the same way in every version: only lengths
    // (compact or not) and null markers vary, so only those get version branches.
    private static bool CompactMatters(FieldSpec f) => f.IsArray || f.Type is "string" or "bytes" or "records";

    private static bool NullMatters(FieldSpec f) => f.IsArray || f.IsStruct || f.Type is "string" or "bytes" or "records";

    private static string FlexCond(FieldSpec f, Versions flex, Versions range) =>
        CompactMatters(f) ? Conditions.Cond(flex, range) : "false";

    private static string NullCond(FieldSpec f, Versions range) =>
        NullMatters(f) ? Conditions.Cond(f.NullableVersions, range) : "false";

    private void ReadVarying(FieldSpec f, Versions range, Versions flex) =>
        cb.Branch(
            FlexCond(f, flex, range),
            () => ReadNullVarying(f, range, compact: true),
            () => ReadNullVarying(f, range, compact: false));

    private void ReadNullVarying(FieldSpec f, Versions range, bool compact) =>
        cb.Branch(
            NullCond(f, range),
            () => ReadFixed(f, compact, nullable: true),
            () => ReadFixed(f, compact, nullable: false));

    private void WriteVarying(FieldSpec f, Versions range, Versions flex) =>
        cb.Branch(
            FlexCond(f, flex, range),
            () => WriteNullVarying(f, range, compact: true),
            () => WriteNullVarying(f, range, compact: false));

    private void WriteNullVarying(FieldSpec f, Versions range, bool compact) =>
        cb.Branch(
            NullCond(f, range),
            () => WriteFixed(f, compact, nullable: true),
            () => WriteFixed(f, compact, nullable: false));

    private void ReadFixed(FieldSpec f, bool compact, bool nullable)
    {
        string c = compact ? "Compact" : "";
        string n = nullable ? "Nullable" : "";
        string name = f.Name;
        if (f.IsArray)
        {
            string count = Camel(name) + "Count";
            string list = Camel(name) + "List";
            cb.Line($"int {count} = reader.Read{c}ArrayLength();");
            cb.Open($"if ({count} < 0)");
            cb.Line(nullable ? $"{name} = null;" : $"KafkaProtocolException.ThrowNullInNonNullable(\"{s.Name}.{name}\");");
            cb.Close();
            cb.Open("else");
            cb.Line($"var {list} = new List<{FieldTypes.ElementType(f, model)}>({count});");
            cb.Open($"for (int i = 0; i < {count}; i++)");
            if (f.IsStruct)
            {
                cb.Line($"var item = new {FieldTypes.ElementType(f, model)}();");
                cb.Line("item.Read(ref reader, version);");
                cb.Line($"{list}.Add(item);");
            }
            else
            {
                cb.Line($"{list}.Add({ReadPrimitive(f.ElementType, c, "")});");
            }

            cb.Close();
            cb.Line($"{name} = {list};");
            cb.Close();
        }
        else if (f.IsStruct)
        {
            string cls = model.Struct(f.Type).ClassName;
            string local = Camel(name) + "Value";
            if (nullable)
            {
                cb.Open("if (reader.ReadInt8() < 0)");
                cb.Line($"{name} = null;");
                cb.Close();
                cb.Open("else");
            }

            cb.Line($"var {local} = new {cls}();");
            cb.Line($"{local}.Read(ref reader, version);");
            cb.Line($"{name} = {local};");
            if (nullable)
            {
                cb.Close();
            }
        }
        else
        {
            cb.Line($"{name} = {ReadPrimitive(f.Type, c, n)};");
        }
    }

    private static string ReadPrimitive(string type, string c, string n) => type switch
    {
        "string" => $"reader.Read{c}{n}String()",
        "bytes" => $"reader.Read{c}{n}Bytes()",
        "records" => $"reader.Read{c}NullableBytes()",
        _ => $"reader.Read{Primitives.MethodSuffix(type)}()",
    };

    private void WriteFixed(FieldSpec f, bool compact, bool nullable)
    {
        string c = compact ? "Compact" : "";
        string name = f.Name;
        bool nullableType = FieldTypes.IsNullableType(f);
        string nonNull = nullableType && !nullable && f.Type != "records"
            ? $"({name} ?? throw KafkaProtocolException.NonNullable(\"{s.Name}.{name}\", version))"
            : name;
        if (f.IsArray)
        {
            string list = nonNull;
            if (nullableType && nullable)
            {
                cb.Open($"if ({name} is null)");
                cb.Line($"writer.Write{c}ArrayLength(-1);");
                cb.Close();
                cb.Open("else");
                list = name;
            }

            cb.Line($"writer.Write{c}ArrayLength({list}.Count);");
            cb.Open($"foreach (var item in {name})");
            cb.Line(f.IsStruct ? "item.Write(writer, version);" : WritePrimitive(f.ElementType, c, "", "item") + ";");
            cb.Close();
            if (nullableType && nullable)
            {
                cb.Close();
            }
        }
        else if (f.IsStruct)
        {
            if (nullableType && nullable)
            {
                cb.Open($"if ({name} is null)");
                cb.Line("writer.WriteInt8(-1);");
                cb.Close();
                cb.Open("else");
                cb.Line("writer.WriteInt8(1);");
                cb.Line($"{name}.Write(writer, version);");
                cb.Close();
            }
            else
            {
                cb.Line($"{nonNull}.Write(writer, version);");
            }
        }
        else if (f.Type == "records")
        {
            cb.Line(nullable
                ? $"writer.Write{c}NullableBytes({name});"
                : $"writer.Write{c}Bytes(({name} ?? ReadOnlyMemory<byte>.Empty).Span);");
        }
        else
        {
            cb.Line(WritePrimitive(f.Type, c, nullable ? "Nullable" : "", nonNull) + ";");
        }
    }

    private static string WritePrimitive(string type, string c, string n, string value) => type switch
    {
        "string" => $"writer.Write{c}{n}String({value})",
        "bytes" when n.Length > 0 => $"writer.Write{c}NullableBytes({value})",
        "bytes" => $"writer.Write{c}Bytes({value}.Span)",
        _ => $"writer.Write{Primitives.MethodSuffix(type)}({value})",
    };

    private void EmitReadTagBuffer()
    {
        var tagged = TaggedFields.ToList();
        if (tagged.Count == 0)
        {
            cb.Line("reader.SkipTaggedFields();");
            return;
        }

        cb.Line("int taggedFieldCount = reader.ReadTagCount();");
        cb.Open("for (int t = 0; t < taggedFieldCount; t++)");
        cb.Line("int tag = reader.ReadTag();");
        cb.Line("int size = reader.ReadTagSize();");
        cb.Line("int end = reader.Position + size;");
        cb.Open("switch (tag)");
        foreach (var (f, range) in tagged)
        {
            string guard = Conditions.Cond(range, StructFlex);
            cb.Line(guard == "true" ? $"case {f.Tag}:" : $"case {f.Tag} when {guard}:");
            cb.Open();
            ReadNullVarying(f, range, compact: true);
            cb.Line("break;");
            cb.Close();
        }

        cb.Line("default:");
        cb.Line("    reader.Skip(size);");
        cb.Line("    break;");
        cb.Close();
        cb.Line("reader.EnsureTaggedFieldEnd(end, tag);");
        cb.Close();
    }

    private void EmitWriteTagBuffer()
    {
        var tagged = TaggedFields.ToList();
        if (tagged.Count == 0)
        {
            cb.Line("writer.WriteEmptyTaggedFields();");
            return;
        }

        string WriteCond(FieldSpec f, Versions range)
        {
            string guard = Conditions.Cond(range, StructFlex);
            string nonDefault = FieldTypes.NonDefault(f, f.Name, model);
            return guard == "true" ? nonDefault : $"{guard} && {nonDefault}";
        }

        cb.Line("int taggedFieldCount = 0;");
        foreach (var (f, range) in tagged)
        {
            cb.Open($"if ({WriteCond(f, range)})");
            cb.Line("taggedFieldCount++;");
            cb.Close();
        }

        cb.Line("writer.WriteUnsignedVarInt((uint)taggedFieldCount);");
        foreach (var (f, range) in tagged)
        {
            cb.Open($"if ({WriteCond(f, range)})");
            cb.Line($"int mark = writer.BeginTaggedField({f.Tag});");
            WriteNullVarying(f, range, compact: true);
            cb.Line("writer.EndTaggedField(mark);");
            cb.Close();
        }
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
