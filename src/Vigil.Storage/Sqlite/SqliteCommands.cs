using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite;

/// <summary>Shorthands for building SQLite commands.</summary>
internal static class SqliteCommands
{
    public static SqliteParameter Parameter(this SqliteCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
