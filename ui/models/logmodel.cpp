#include "logmodel.h"

#include "ui/uitext.h"

#include <QApplication>
#include <QColor>
#include <QStyle>

namespace mmv::ui {

namespace {
bool isError(QtMsgType type)
{
    return type == QtCriticalMsg || type == QtFatalMsg;
}

QString singleLine(const QString &text)
{
    QString line = text;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return line;
}
} // namespace

LogModel::LogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax(1, capacity))
{ }

void LogModel::appendEntries(const QList<LogEntry> &entries)
{
    if (entries.isEmpty())
        return;

    // Only the newest `capacity` entries of an oversized batch can ever be shown.
    const qsizetype skip = qMax<qsizetype>(0, entries.size() - m_capacity);
    const qsizetype incoming = entries.size() - skip;

    if (m_entries.size() + incoming > m_capacity) {
        const qsizetype slack = m_capacity / 10;
        const qsizetype drop
            = qMin<qsizetype>(m_entries.size(), m_entries.size() + incoming - m_capacity + slack);
        beginRemoveRows({}, 0, int(drop - 1));
        m_entries.remove(0, drop);
        endRemoveRows();
    }

    const int first = int(m_entries.size());
    beginInsertRows({}, first, int(first + incoming - 1));
    m_entries.append(entries.mid(skip));
    endInsertRows();
}

void LogModel::clear()
{
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogEntry &e = m_entries.at(index.row());

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return e.time.toLocalTime().toString(QStringLiteral("hh:mm:ss"));
        case LevelColumn:
            return UiText::logLevel(e.type);
        case CategoryColumn:
            return e.category;
        case MessageColumn:
            return singleLine(e.message);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return QLocale().toString(e.time.toLocalTime(), QLocale::LongFormat);
        if (index.column() == MessageColumn)
            return e.message;
        break;
    case Qt::DecorationRole:
        if (index.column() == LevelColumn) {
            return QApplication::style()->standardIcon(
                isError(e.type) ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning);
        }
        break;
    case Qt::ForegroundRole:
        if (isError(e.type))
            return QColor(0xc6, 0x28, 0x28);
        break;
    case TypeRole:
        return int(e.type);
    case SequenceRole:
        return e.sequence;
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case CategoryColumn:
        return tr("Category");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

} // namespace mmv::ui
