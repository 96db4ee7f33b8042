module github.com/apideck-samples/vault-session

go 1.26.8
