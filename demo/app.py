import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


def find_user(name):
    db = sqlite3.connect("users.db")
    query = "SELECT id, email FROM users WHERE name = '" + name + "'"
    return db.execute(query).fetchall()


@app.route("/users")
def users():
    return {"users": find_user(request.args.get("name", ""))}


@app.route("/ping")
def ping():
    host = request.args["host"]
    return subprocess.check_output("ping -c 1 " + host, shell=True)
