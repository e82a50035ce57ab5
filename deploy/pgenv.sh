# Sourced by backup.sh and restore.sh: reads DATABASE_URL (from the environment, else
# from the project's .env) and exports libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD and
# PGDATABASE from it, so that no password appears on a command line.
#
# DATABASE_URL is django-environ's form: postgres://USER:PASSWORD@HOST:PORT/NAME, with
# percent-encoded parts and optionally ?sslmode=...; a percent-encoded path as HOST
# (postgres://%2Fvar%2Frun%2Fpostgresql/npc) or no host at all means a Unix socket.

NPC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The value of NAME in the project's .env (the last line that sets it), quotes removed.
npc_env_file_value() {
    local file="$NPC_ROOT/.env"
    [[ -f $file ]] || return 0
    sed -n -e "s/^[[:space:]]*\(export[[:space:]]\{1,\}\)\{0,1\}$1=//p" "$file" | tail -n 1 |
        sed -e 's/^"\(.*\)"[[:space:]]*$/\1/' -e "s/^'\(.*\)'[[:space:]]*$/\1/"
}

npc_urldecode() {
    local s=${1//\\/\\\\}
    printf '%b' "${s//%/\\x}"
}

npc_load_database_url() {
    local url=${DATABASE_URL:-$(npc_env_file_value DATABASE_URL)}
    case $url in
        postgres://* | postgresql://* | pgsql://* | psql://* | postgis://*) ;;
        "")
            echo "DATABASE_URL is not set (neither in the environment nor in .env)." >&2
            return 1
            ;;
        *)
            echo "DATABASE_URL is not a PostgreSQL URL: ${url%%://*}://..." >&2
            return 1
            ;;
    esac
    local rest=${url#*://} query="" authority path userinfo="" hostport
    if [[ $rest == *\?* ]]; then
        query=${rest#*\?}
        rest=${rest%%\?*}
    fi
    authority=${rest%%/*}
    path=""
    [[ $rest == */* ]] && path=${rest#*/}
    if [[ $authority == *@* ]]; then
        userinfo=${authority%@*}
        hostport=${authority##*@}
    else
        hostport=$authority
    fi
    unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
    if [[ -n $userinfo ]]; then
        export PGUSER
        PGUSER=$(npc_urldecode "${userinfo%%:*}")
        if [[ $userinfo == *:* ]]; then
            export PGPASSWORD
            PGPASSWORD=$(npc_urldecode "${userinfo#*:}")
        fi
    fi
    if [[ $hostport == \[*\]* ]]; then # [IPv6]:port
        export PGHOST=${hostport%%\]*}
        PGHOST=${PGHOST#\[}
        [[ $hostport == *\]:* ]] && export PGPORT=${hostport##*\]:}
    elif [[ $hostport == *:* ]]; then
        export PGHOST PGPORT=${hostport##*:}
        PGHOST=$(npc_urldecode "${hostport%:*}")
    elif [[ -n $hostport ]]; then
        export PGHOST
        PGHOST=$(npc_urldecode "$hostport")
    fi
    if [[ -z $path ]]; then
        echo "DATABASE_URL names no database." >&2
        return 1
    fi
    export PGDATABASE
    PGDATABASE=$(npc_urldecode "$path")
    local param params
    IFS='&' read -r -a params <<<"$query"
    for param in "${params[@]}"; do
        case $param in
            sslmode=*) export PGSSLMODE=${param#sslmode=} ;;
        esac
    done
}

# The media folder: DJANGO_MEDIA_ROOT from the environment, else from .env, else ./media.
npc_media_root() {
    local media=${DJANGO_MEDIA_ROOT:-$(npc_env_file_value DJANGO_MEDIA_ROOT)}
    echo "${media:-$NPC_ROOT/media}"
}
