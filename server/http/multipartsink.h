#pragma once

#include "bodysink.h"
#include "filewriter.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>

namespace mmv::http {

/// Streams an upload to a file in bounded memory: either a multipart/form-data body whose
/// part `fileField` is written to disk (other fields are kept as short texts), or a raw
/// body written as it is. The file is written by a worker (FileWriter), never by the thread
/// that receives the body; ready() holds the body back while the disk is behind. The file is
/// removed again unless take() is called.
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
    bool ready(bool drained, std::function<void()> resume) override;
    Status finish() override;

    /// The file name the client gave (multipart filename), or empty.
    QString fileName() const { return m_fileName; }
    QByteArray partContentType() const { return m_partContentType; }
    QHash<QString, QString> fields() const { return m_fields; }
    qint64 fileSize() const { return m_written; }
    QString filePath() const { return m_writer->path(); }
    /// Keeps the file: the caller now owns it.
    void take() { m_writer->keep(); }

    static constexpr qsizetype MaxFieldSize = 64 * 1024;
    static constexpr qsizetype MaxPartHead = 16 * 1024;

private:
    UploadSink(std::unique_ptr<FileWriter> writer, QByteArray boundary, QString fileField);

    enum class State { Preamble, AfterBoundary, PartHead, PartBody, Done };
    Status process();
    Status emitPartData(const char *data, qsizetype size);
    Status writeFile(const char *data, qsizetype size);
    Status parsePartHead(const QByteArray &head);

    std::unique_ptr<FileWriter> m_writer;
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
};

} // namespace mmv::http
