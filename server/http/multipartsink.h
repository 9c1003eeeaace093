#pragma once

#include "bodysink.h"

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QString>

namespace mmv::http {

/// Streams an upload to a file in bounded memory: either a multipart/form-data body whose
/// part `fileField` is written to disk (other fields are kept as short texts), or a raw
/// body written as it is. The file is removed again unless take() is called.
class UploadSink : public BodySink
{
public:
    /// For `contentType` "multipart/form-data; boundary=..." the body is parsed, else it is
    /// taken raw. Fails for a multipart type without a usable boundary.
    static Result<std::shared_ptr<UploadSink>>
    create(const QByteArray &contentType, const QString &filePath,
           const QString &fileField = QStringLiteral("file"));
    ~UploadSink() override;

    Status write(QByteArrayView chunk) override;
    Status finish() override;

    /// The file name the client gave (multipart filename), or empty.
    QString fileName() const { return m_fileName; }
    QByteArray partContentType() const { return m_partContentType; }
    QHash<QString, QString> fields() const { return m_fields; }
    qint64 fileSize() const { return m_written; }
    QString filePath() const { return m_file.fileName(); }
    /// Keeps the file: the caller now owns it.
    void take() { m_keep = true; }

    static constexpr qsizetype MaxFieldSize = 64 * 1024;
    static constexpr qsizetype MaxPartHead = 16 * 1024;

private:
    UploadSink(const QString &filePath, QByteArray boundary, QString fileField);

    enum class State { Preamble, AfterBoundary, PartHead, PartBody, Done };
    Status process();
    Status emitPartData(const char *data, qsizetype size);
    Status writeFile(const char *data, qsizetype size);
    Status parsePartHead(const QByteArray &head);

    QFile m_file;
    bool m_multipart = false;
    QByteArray m_delimiter; ///< "\r\n--boundary"
    QString m_fileField;
    State m_state = State::Preamble;
    QByteArray m_buffer;
    bool m_inFilePart = false;
    bool m_fileSeen = false;
    QString m_currentField;
    QByteArray m_currentValue;
    QString m_fileName;
    QByteArray m_partContentType;
    QHash<QString, QString> m_fields;
    qint64 m_written = 0;
    bool m_keep = false;
};

} // namespace mmv::http
