using System.Xml;
using System.Xml.Linq;

namespace GitOps.Storage;

/// <summary>Reads storage XML bodies from their bytes, so the UTF-8 byte-order mark Azure puts in front of them is honoured, with DTDs refused.</summary>
internal static class StorageXml
{
    private static readonly XmlReaderSettings s_settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
    };

    public static XElement Parse(BinaryData body)
    {
        using Stream stream = body.ToStream();
        using var reader = XmlReader.Create(stream, s_settings);
        return XElement.Load(reader);
    }
}
