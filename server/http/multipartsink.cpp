#include "multipartsink.h"

#include <QRegularExpression>

namespace mmv::http {

namespace {

AppError malformed(const QString &what)
{
    return AppError{ ErrorCode::BadRequest, QStringLiteral("malformed multipart body: ") + what };
}

/// The value of `name` in a header such as `form-data; name="file"; filename="a b.mp4"`.
QString headerParameter(const QByteArray &header, const QByteArray &name)
{
    const QRegularExpression re(
        QStringLiteral("(?:^|;)\\s*%1\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]*))")
            .arg(QString::fromLatin1(name)),
        QRegularExpression::CaseInsensitiveOption);
    const auto match = re.match(QString::fromUtf8(header));
    if (!match.hasMatch())
        return {};
    QString value = match.captured(1).isNull() ? match.captured(2) : match.captured(1);
    value.replace(QStringLiteral("\\\""), QStringLiteral("\""));
    return value;
}

} // namespace

Result<std::shared_ptr<UploadSink>>
UploadSink::create(const QByteArray &contentType, const QString &filePath, const QString &fileField)
{
    QByteArray boundary;
    const bool multipart = contentType.trimmed().toLower().startsWith("multipart/form-data");
    if (multipart) {
        boundary = headerParameter(contentType, "boundary").toLatin1();
        if (boundary.isEmpty() || boundary.size() > 70)
            return malformed(QStringLiteral("the Content-Type has no valid boundary"));
    }
    Result<std::unique_ptr<FileWriter>> writer = FileWriter::create(filePath);
    if (!writer)
        return writer.error();
    std::shared_ptr<UploadSink> sink(
        new UploadSink(std::move(writer.value()), boundary, fileField));
    sink->m_multipart = multipart;
    return sink;
}

UploadSink::UploadSink(std::unique_ptr<FileWriter> writer, QByteArray boundary, QString fileField)
    : m_writer(std::move(writer))
    , m_delimiter("\r\n--" + boundary)
    , m_fileField(std::move(fileField))
{ }

UploadSink::~UploadSink() = default;

bool UploadSink::ready(bool drained, std::function<void()> resume)
{
    return m_writer->ready(drained, std::move(resume));
}

Status UploadSink::write(QByteArrayView chunk)
{
    if (!m_multipart)
        return writeFile(chunk.data(), chunk.size());
    m_buffer.append(chunk.data(), chunk.size());
    return process();
}

Status UploadSink::writeFile(const char *data, qsizetype size)
{
    if (size == 0)
        return std::nullopt;
    if (Status error = m_writer->append(QByteArrayView(data, size)))
        return error;
    m_written += size;
    return std::nullopt;
}

Status UploadSink::emitPartData(const char *data, qsizetype size)
{
    if (m_inFilePart)
        return writeFile(data, size);
    if (m_currentField.isEmpty())
        return std::nullopt; // a part without a name: ignored
    if (m_currentValue.size() + size > MaxFieldSize)
        return malformed(QStringLiteral("the field '%1' is too long").arg(m_currentField));
    m_currentValue.append(data, size);
    return std::nullopt;
}

Status UploadSink::parsePartHead(const QByteArray &head)
{
    m_inFilePart = false;
    m_currentField.clear();
    m_currentValue.clear();
    const QList<QByteArray> lines = head.split('\n');
    for (QByteArray line : lines) {
        line = line.trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-disposition") {
            m_currentField = headerParameter(value, "name");
            if (m_currentField == m_fileField) {
                if (m_fileSeen)
                    return malformed(QStringLiteral("more than one '%1' part").arg(m_fileField));
                m_fileSeen = true;
                m_inFilePart = true;
                m_fileName = headerParameter(value, "filename");
            }
        } else if (name == "content-type") {
            if (m_inFilePart || m_currentField == m_fileField)
                m_partContentType = value;
        }
    }
    return std::nullopt;
}

Status UploadSink::process()
{
    const QByteArray dashBoundary = m_delimiter.mid(2); // "--boundary"
    for (;;) {
        switch (m_state) {
        case State::Preamble: {
            // The first delimiter may start the body without a preceding CRLF.
            const qsizetype at = m_buffer.indexOf(dashBoundary);
            if (at < 0) {
                if (m_buffer.size() > dashBoundary.size())
                    m_buffer.remove(0, m_buffer.size() - dashBoundary.size());
                return std::nullopt;
            }
            m_buffer.remove(0, at + dashBoundary.size());
            m_state = State::AfterBoundary;
            break;
        }
        case State::AfterBoundary: {
            if (m_buffer.size() < 2)
                return std::nullopt;
            if (m_buffer.startsWith("--")) {
                if (!m_currentField.isEmpty() && !m_inFilePart)
                    m_fields.insert(m_currentField, QString::fromUtf8(m_currentValue));
                m_state = State::Done;
                m_buffer.clear();
                return std::nullopt;
            }
            // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
            qsizetype i = 0;
            while (i < m_buffer.size() && (m_buffer.at(i) == ' ' || m_buffer.at(i) == '\t'))
                ++i;
            if (m_buffer.size() < i + 2)
                return std::nullopt;
            if (m_buffer.at(i) != '\r' || m_buffer.at(i + 1) != '\n')
                return malformed(QStringLiteral("a delimiter is not followed by a line break"));
            if (!m_currentField.isEmpty() && !m_inFilePart)
                m_fields.insert(m_currentField, QString::fromUtf8(m_currentValue));
            m_buffer.remove(0, i + 2);
            m_state = State::PartHead;
            break;
        }
        case State::PartHead: {
            qsizetype end = m_buffer.indexOf("\r\n\r\n");
            qsizetype skip = 4;
            if (m_buffer.startsWith("\r\n")) { // a part without headers
                end = 0;
                skip = 2;
            }
            if (end < 0) {
                if (m_buffer.size() > MaxPartHead)
                    return malformed(QStringLiteral("a part's headers are too long"));
                return std::nullopt;
            }
            if (Status error = parsePartHead(m_buffer.left(end)))
                return error;
            m_buffer.remove(0, end + skip);
            m_state = State::PartBody;
            break;
        }
        case State::PartBody: {
            const qsizetype at = m_buffer.indexOf(m_delimiter);
            if (at < 0) {
                // Keep a tail that could be the start of a delimiter cut by the chunking.
                const qsizetype safe = m_buffer.size() - (m_delimiter.size() - 1);
                if (safe > 0) {
                    if (Status error = emitPartData(m_buffer.constData(), safe))
                        return error;
                    m_buffer.remove(0, safe);
                }
                return std::nullopt;
            }
            if (Status error = emitPartData(m_buffer.constData(), at))
                return error;
            m_buffer.remove(0, at + m_delimiter.size());
            m_state = State::AfterBoundary;
            break;
        }
        case State::Done:
            m_buffer.clear(); // the epilogue is ignored
            return std::nullopt;
        }
    }
}

Status UploadSink::finish()
{
    if (m_multipart) {
        if (m_state != State::Done)
            return malformed(QStringLiteral("the body ended before its closing delimiter"));
        if (!m_fileSeen) {
            return AppError{ ErrorCode::BadRequest,
                             QStringLiteral("the form has no '%1' field").arg(m_fileField) };
        }
    }
    return m_writer->close();
}

} // namespace mmv::http
